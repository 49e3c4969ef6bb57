// Runs every *.test.ts under src/ and test/ with node:test through tsx.
// Usage: node scripts/test.mjs [dir-or-file ...]   (defaults to src and test)
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = [];
for (const root of roots) {
  if (statSync(root).isFile()) {
    files.push(root);
    continue;
  }
  for (const f of readdirSync(root, { recursive: true })) {
    const p = join(root, String(f));
    if (p.endsWith('.test.ts')) files.push(relative('.', p));
  }
}
files.sort();
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
