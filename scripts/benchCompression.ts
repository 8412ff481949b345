// npm run bench:compression [-- --requests 100]: what compressing the gateway's answers costs and
// saves on loopback, the mix of npm run bench with Accept-Encoding none, gzip and br side by side.
// Runs the graph in this process (DATABASE_URL or the embedded PostgreSQL; migrates and seeds
// first); npm run bench prints the same table against the stack it starts. Prints figures; it is not a test.
import { loadConfig } from '../shared/src/runtime/config';
import { createLogger } from '../shared/src/runtime/logger';
import { measureOnStack } from '../gateway/src/inProcessStack';
import { compressionSection } from './bench/compression';
import { parseCommandLine } from './commandLine';

const { values: args } = parseCommandLine(process.argv.slice(2), { requests: { type: 'string', default: '100' } });

async function main(): Promise<void> {
  const config = loadConfig();
  await measureOnStack(config, createLogger('bench', 'warn'), async (stack) => {
    const lines = await compressionSection(stack.gatewayUrl, Number(args.requests));
    process.stdout.write(
      [`Measured by \`npm run bench:compression -- --requests ${args.requests}\` (graph in one process).`, '', ...lines].join(
        '\n',
      ),
    );
  });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
