/**
 * The README cannot rot: every command in its ```console blocks (`$ command`, then the output it
 * shows) is run in order, as a new user would, in a fresh directory with the examples beside it,
 * the real kubectl (the newest we test) on PATH and `npx flotilla` meaning this checkout. The
 * output must contain the lines the README shows, in order, once ages, ports and timings are
 * normalised. `npm start` is run as what it runs, `flotilla up`, in the background (on a free port,
 * with short cluster grace and eviction delays so the failure walkthrough does not wait 100 s).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectlDir } from './harness.js';
import { startUp } from './up-process.js';
import type { Up } from './up-process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** One `$ command` of the README and the output it shows. */
interface Step {
  command: string;
  shown: string[];
  line: number;
}

/** The steps of every ```console block, in order. */
function readmeSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  let inConsole = false;
  markdown.split('\n').forEach((text, i) => {
    if (text.startsWith('```')) {
      inConsole = !inConsole && text.trim() === '```console';
      return;
    }
    if (!inConsole) return;
    if (text.startsWith('$ ')) steps.push({ command: text.slice(2).trim(), shown: [], line: i + 1 });
    else steps.at(-1)?.shown.push(text);
  });
  return steps;
}

/** What may differ between two runs: ages, ports, timings, column padding. */
function normalise(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) =>
      l
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
        .replace(/\(\d+(\.\d+)? s\)/g, '(T s)')
        .replace(/(?<=\s|^)(\d+d)?(\d+h)?(\d+m)?(\d+s)?(?=\s|$)/g, (m) => (m ? 'AGE' : m))
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l !== '');
}

/** The lines of `shown` that are missing from `actual` when read in order ([] when all are there). */
function missingLines(shown: readonly string[], actual: readonly string[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const line of shown) {
    const found = actual.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

function sh(
  command: string,
  o: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const p = spawn('bash', ['-c', command], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 180_000);
    p.once('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, out });
    });
  });
}

describe('README', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'flotilla-readme-'));
  const bin = join(cwd, '.bin');
  let up: Up | undefined;
  after(async () => {
    up?.proc.kill('SIGTERM');
    await up?.exited;
    rmSync(cwd, { recursive: true, force: true });
  });

  it('compares as it says: ages, ports and timings aside, every line shown, in order', () => {
    const actual = normalise('NAME  AGE\nweb   12s\nHub https://127.0.0.1:40123 (0.9 s)\nextra line\nlast');
    assert.deepEqual(
      missingLines(normalise('NAME AGE\nweb 3m2s\nHub https://127.0.0.1:7443 (0.5 s)\nlast'), actual),
      [],
    );
    assert.deepEqual(missingLines(normalise('web 3s\nNAME AGE'), actual), ['NAME AGE']);
    assert.deepEqual(missingLines(normalise('web2 3s'), actual), ['web2 AGE']);
    assert.equal(readmeSteps('```console\n$ a\nout\n```\n```sh\n$ b\n```\n').length, 1);
  });

  it('runs every command of the walkthrough and shows what the README says', async () => {
    symlinkSync(join(root, 'examples'), join(cwd, 'examples'));
    mkdirSync(bin);
    symlinkSync(join(kubectlDir(), 'kubectl.1.33'), join(bin, 'kubectl'));
    writeFileSync(
      join(bin, 'npx'),
      `#!/bin/sh\n[ "$1" = flotilla ] || { echo "npx $1: not in this test" >&2; exit 127; }\nshift\nexec '${process.execPath}' '${join(root, 'bin', 'flotilla.js')}' "$@"\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      NO_COLOR: '1',
    };
    delete env['KUBECONFIG'];

    const steps = readmeSteps(readFileSync(join(root, 'README.md'), 'utf8'));
    assert.ok(
      steps.some((s) => s.command === 'npm start'),
      'the README starts with npm start',
    );
    for (const step of steps) {
      const where = `README.md:${step.line}: $ ${step.command}`;
      let out: string;
      if (step.command === 'npm start') {
        up = startUp('.flotilla', {
          tty: false,
          cwd,
          args: [
            '--cluster-probe-interval',
            '1',
            '--cluster-grace-period',
            '3',
            '--cluster-eviction-delay',
            '3',
          ],
        });
        out = await up.until('resume this fleet.');
      } else if (/^export \w+=/.test(step.command)) {
        const [name, value] = step.command.slice('export '.length).split(/=(.*)/s) as [string, string];
        env[name] = value.replace(/\$PWD/g, cwd);
        continue;
      } else {
        const r = await sh(step.command, { cwd, env });
        assert.equal(r.code, 0, `${where} exited ${r.code}:\n${r.out}`);
        out = r.out;
      }
      const missing = missingLines(normalise(step.shown.join('\n')), normalise(out));
      assert.deepEqual(missing, [], `${where}: output lacks these lines:\n${out}`);
    }
  });
});
