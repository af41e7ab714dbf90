#!/usr/bin/env node
// Runs the emulator's TypeScript directly through tsx, so `npx relay-emulator` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
try {
  await main(process.argv.slice(2));
} catch (error) {
  // A busy port or an unreadable data file: one line a person can act on, not a stack trace.
  process.stderr.write(`relay-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
