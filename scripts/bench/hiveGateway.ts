// The peer gateway for `npm run bench`: Hive Gateway serving the same supergraph (its subgraph URLs
// rewritten to the benchmark's services). Used only by the benchmark. Like ours, it signs every
// call to a service with that service's secret, or the services would refuse it.
import fs from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { loadConfig, SERVICE_NAMES, type ServiceName } from '../../shared/src/runtime/config';
import { ANONYMOUS } from '../../shared/src/auth/identity';
import { encodeIdentity, signatureHeaders } from '../../shared/src/auth/signing';

const [supergraphFile, portText, portMapText] = process.argv.slice(2);
const config = loadConfig();
// "4101=legal-instruments,4102=..." : which service listens on which port.
const serviceByPort = new Map<string, ServiceName>(
  portMapText.split(',').map((pair) => {
    const [port, name] = pair.split('=');
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) throw new Error(`unknown service ${name}`);
    return [port, name as ServiceName];
  }),
);
const anonymous = encodeIdentity(ANONYMOUS);

const gateway = createGatewayRuntime({
  supergraph: fs.readFileSync(supergraphFile, 'utf8'),
  logging: false,
  landingPage: false,
  graphiql: false,
  plugins: () => [
    {
      onFetch({ url, options, setOptions }) {
        const service = serviceByPort.get(new URL(url).port);
        const secret = service ? config.serviceSecrets[service] : undefined;
        if (!service || !secret || typeof options.body !== 'string') return;
        setOptions({
          ...options,
          headers: {
            ...(options.headers as Record<string, string>),
            ...signatureHeaders(secret, service, anonymous, options.body),
          },
        });
      },
    },
  ],
});
const server = http.createServer(gateway);
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
