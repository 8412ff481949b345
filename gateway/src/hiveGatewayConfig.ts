/**
 * The configuration file of the Hive Gateway CLI (`hive-gateway supergraph --config-path` this file):
 * it exports `gatewayConfig`, as the CLI expects, built from the project's configuration.
 */
import { loadConfig } from '../../shared/src/runtime/config';
import { hiveGatewayConfig, hiveGatewayOptions } from './hiveGateway';

export const gatewayConfig = hiveGatewayConfig(hiveGatewayOptions(loadConfig()));
