/**
 * Child process for the SQLite durability test: writes to the store at argv[2] forever and prints
 * `ack <key> <revision>` for every write whose promise resolved. The parent kills it with SIGKILL
 * and checks that every acknowledged write survived.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { SqliteStore } from '../sqlite-store.js';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: durability-writer.ts <db-path>');
const store = SqliteStore.open(path);
let counter = await store.create('/d/counter', '0');
for (let i = 0; ; i++) {
  const key = `/d/${String(i).padStart(8, '0')}`;
  const created = await store.create(key, JSON.stringify({ i }));
  if (!created.succeeded) throw new Error(`create ${key} failed`);
  process.stdout.write(`ack ${key} ${created.revision}\n`);
  if (i % 10 === 0 && counter.kv) {
    counter = await store.update('/d/counter', String(i), counter.kv.modRevision);
    if (!counter.succeeded) throw new Error('counter update failed');
    process.stdout.write(`ack /d/counter ${counter.revision}\n`);
  }
  if (i % 50 === 0) await yieldToLoop();
}
