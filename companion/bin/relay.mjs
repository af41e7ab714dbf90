#!/usr/bin/env node
// `npx relay …`: the operator CLI (src/cli/main.ts), run from its TypeScript through tsx so it
// works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
process.exitCode = await run(process.argv.slice(2), process.env, process.stdout, process.stderr);
