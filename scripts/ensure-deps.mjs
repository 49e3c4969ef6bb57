// Installs the project's npm dependencies when they are missing or older than package-lock.json.
// Runs before `npm start`, `npm test` and `npm run bench`, so the README's two commands work on a fresh clone.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const sqlite = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

const stale =
  !existsSync(marker) ||
  !existsSync(sqlite) ||
  (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  process.stderr.write(
    'flotilla: installing dependencies (first run; better-sqlite3 builds from source, ~2 min)…\n',
  );
  const args = existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  const r = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`flotilla: npm ${args[0]} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
}
