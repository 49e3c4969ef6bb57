/**
 * `flotilla up` as a new user meets it: run in a pseudo-terminal (util-linux `script`), it shows
 * progress and a summary, brings up a Ready fleet the real kubectl sees through the hub, and stops
 * cleanly on Ctrl-C; run again (piped this time) it resumes the same fleet and state; bad flags
 * are refused in one line with exit 2 and change nothing.
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KUBECTL_VERSIONS, Kubectl, eventually, runFlotilla, tempFile } from './harness.js';
import { startUp } from './up-process.js';

const ESC = String.fromCharCode(27);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe('flotilla up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-e2e-up-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('brings up a Ready fleet in a terminal, with progress and a summary, and stops cleanly on Ctrl-C', async () => {
    const up = startUp(dir, { tty: true });
    try {
      const out = await up.until('resume this fleet.');
      assert.ok(
        out.includes(`${ESC}[32m✓${ESC}[0m 3 simulated cluster(s) started`),
        'a green tick on a terminal',
      );
      assert.match(out, /Flotilla is up \(\d+\.\d s\)/);
      assert.match(out, /Hub {9}https:\/\/127\.0\.0\.1:\d+ /);
      assert.ok(out.includes(`Kubeconfig  ${join(dir, 'kubeconfig')}`), out);
      for (const c of [
        'us-east-1 +us-east +aws +3 ',
        'us-west-1 +us-west +gcp +5 ',
        'eu-west-1 +eu-west +azure +2 ',
      ])
        assert.match(out, new RegExp(`${c}.*True\\r?\\n`), out);
      for (const version of KUBECTL_VERSIONS) {
        const k = new Kubectl(version, join(dir, 'kubeconfig'));
        try {
          const clusters = await k.ok(['--context', 'flotilla', 'get', 'clusters', '--no-headers']);
          assert.deepEqual(
            clusters
              .trim()
              .split('\n')
              .map((l) => l.split(/\s+/).filter((_, i) => i === 0 || i === 3)),
            [
              ['eu-west-1', 'True'],
              ['us-east-1', 'True'],
              ['us-west-1', 'True'],
            ],
          );
          assert.match(await k.ok(['--context', 'us-west-1', 'get', 'nodes', '--no-headers']), /Ready/);
        } finally {
          k.cleanup();
        }
      }
      const k = new Kubectl('1.33', join(dir, 'kubeconfig'));
      await k.ok(['create', 'configmap', 'kept', '--from-literal=a=1']);
      await k.ok(['apply', '-f', join(root, 'examples', 'propagation', 'web.yaml')]);
      await eventually(
        async () =>
          (await k.ok(['get', 'rb', 'web-deployment', '--no-headers'])).includes('us-east-1:4,us-west-1:2'),
        { what: 'web placed', timeoutMs: 30_000 },
      );
      k.cleanup();
      up.proc.stdin?.write('\x03'); // Ctrl-C, through the terminal's line discipline
      assert.equal(await up.exited, 0, up.output());
      assert.match(up.output(), /\^C\r?\nStopping …\r?\nStopped\. Run it again to resume this fleet/);
    } finally {
      up.proc.kill('SIGKILL');
    }
  });

  it('resumes the same fleet and state when run again, piped: no colour or cursor control', async () => {
    const up = startUp(dir, { tty: false });
    try {
      const out = await up.until('resume this fleet.');
      assert.ok(!out.includes(ESC), out);
      assert.match(out, /^ {2}✓ every cluster Ready \(\d+\.\d s\)$/m);
      const k = new Kubectl('1.27', join(dir, 'kubeconfig'));
      try {
        assert.equal(await k.ok(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a}']), '1');
        // The policy and the workload are kept, and still placed in the members.
        assert.match(await k.ok(['get', 'pp', 'web', '-o', 'name']), /web/);
        assert.match(await k.ok(['get', 'rb', 'web-deployment', '--no-headers']), /us-east-1:4,us-west-1:2/);
        await eventually(
          async () =>
            (await k.ok([
              '--context',
              'us-east-1',
              'get',
              'deploy',
              'web',
              '-o',
              'jsonpath={.status.readyReplicas}',
            ])) === '4',
          { what: 'web running in us-east-1 after the restart', timeoutMs: 30_000 },
        );
        assert.equal((await k.ok(['get', 'clusters', '--no-headers'])).trim().split('\n').length, 3);
      } finally {
        k.cleanup();
      }
      up.proc.kill('SIGTERM');
      assert.equal(await up.exited, 0, up.output());
    } finally {
      up.proc.kill('SIGKILL');
    }
  });

  it('refuses bad input in one line with exit 2, and changes nothing', async () => {
    const fleetFile = join(dir, 'fleet.yaml');
    const before = readFileSync(fleetFile, 'utf8');
    const bad: [string[], RegExp][] = [
      [['--clusters', '0'], /--clusters must be at least 1/],
      [['--clusters', 'many'], /--clusters must be a whole number/],
      [['--clusters', '2', '--fleet', 'examples/fleet.yaml'], /cannot be used together/],
      [['--fleet', '/nonexistent.yaml'], /cannot read fleet file/],
      [['--fleet', tempFile('fleet.yaml', 'clusters: [{ name: Bad_Name }]')], /clusters\[0\]\.name/],
      [['--listen', 'nowhere'], /--listen must be HOST:PORT/],
      [['--log-level', 'loud'], /--log-level must be one of/],
      [['--rebalance-delay', '0'], /--rebalance-delay must be a positive number of seconds, got "0"/],
      [['--rebalance-timeout', 'soon'], /--rebalance-timeout must be a positive number of seconds/],
      [
        ['--heap-growth', '5'],
        /--heap-growth must be 0 \(V8's choice\) or a percentage from 10 to 300, got "5"/,
      ],
      [['--heap-growth', 'lots'], /--heap-growth must be 0/],
      [['--bogus'], /Unknown option '--bogus'/],
      [['--clusters', '2'], /already holds a fleet of 3 cluster\(s\) \(us-east-1,us-west-1,eu-west-1\)/],
    ];
    for (const [args, reason] of bad) {
      const r = await runFlotilla(['up', '--data-dir', dir, '--listen', '127.0.0.1:0', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.equal(readFileSync(fleetFile, 'utf8'), before);
  });
});
