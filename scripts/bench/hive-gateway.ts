// The peer gateway for `npm run bench`: Hive Gateway serving the same supergraph (its subgraph URLs
// rewritten to the benchmark's services). Used only by the benchmark.
import fs from 'node:fs';
import http from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const [supergraphFile, portText] = process.argv.slice(2);
const gateway = createGatewayRuntime({
  supergraph: fs.readFileSync(supergraphFile, 'utf8'),
  logging: false,
  landingPage: false,
  graphiql: false,
});
const server = http.createServer(gateway);
server.listen(Number(portText), '127.0.0.1', () => process.stdout.write('ready\n'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
