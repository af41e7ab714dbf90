#!/usr/bin/env node
// Runs the emulator's TypeScript directly through tsx, so `npx relay-emulator` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
await main(process.argv.slice(2));
