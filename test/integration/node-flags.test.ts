/** Flotilla's V8 flags (`NODE_FLAGS`) are where its processes are started from. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/cmd/heap-growth.js';

const root = join(import.meta.dirname, '..', '..');

describe('the V8 flags a Flotilla process starts with', () => {
  it('are on the #! line of bin/flotilla.js and in npm start', () => {
    const shebang = readFileSync(join(root, 'bin', 'flotilla.js'), 'utf8').split('\n')[0];
    assert.equal(shebang, `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    assert.match(
      pkg.scripts['start'] ?? '',
      new RegExp(` node ${NODE_FLAGS.join(' ')} bin/flotilla\\.js up$`),
    );
  });
});
