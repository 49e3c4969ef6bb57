#!/usr/bin/env node
// Entry point of the `flotilla` command: runs the TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cmd/flotilla.ts');
process.exitCode = await main(process.argv.slice(2));
