import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from './sqlite-store.js';

const WRITER = fileURLToPath(new URL('./testing/durability-writer.ts', import.meta.url));

describe('SqliteStore durability', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-durability-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write after the writer is killed with SIGKILL', async () => {
    const path = join(dir, 'store.db');
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => {
        resolve(signal);
      }),
    );
    const acked = new Map<string, number>();
    let maxAcked = 0;
    for await (const line of createInterface({ input: child.stdout })) {
      const [tag, key, rev] = line.split(' ');
      if (tag !== 'ack' || key === undefined || rev === undefined) continue;
      acked.set(key, Number(rev));
      maxAcked = Math.max(maxAcked, Number(rev));
      if (acked.size >= 2000) {
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL', `writer should die by SIGKILL (stderr: ${stderr})`);

    const store = SqliteStore.open(path);
    try {
      assert.ok((await store.currentRevision()) >= maxAcked);
      for (const [key, rev] of acked) {
        const got = await store.get(key);
        assert.ok(got, `acknowledged ${key}@${rev} is missing`);
        if (key === '/d/counter') assert.ok(got.modRevision >= rev);
        else assert.equal(got.modRevision, rev);
      }
      const next = await store.create('/d/after-crash', 'x');
      assert.ok(next.succeeded && next.revision > maxAcked);
      assert.equal(next.revision, await store.currentRevision());
    } finally {
      await store.close();
    }
  });
});
