#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point of the `flotilla` command: runs the TypeScript sources through tsx (no build step).
// The #! line's V8 flags are NODE_FLAGS (src/cmd/heap-growth.ts).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cmd/flotilla.ts');
process.exitCode = await main(process.argv.slice(2));
