/**
 * The fleet commands against a real fleet (`flotilla up`: hub + three simulated members): `get
 * clusters|bindings|works` as tables, JSON and YAML, `describe binding|cluster`, `cordon` /
 * `uncordon` and `taint`, checked against what the real kubectl reads from the hub. Bad input is
 * refused in one line with exit 2 and changes nothing; a missing object or an unreachable hub is one
 * line with exit 1. Piped output carries no colour; a terminal gets it unless NO_COLOR is set.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Kubectl, eventually, runFlotilla } from './harness.js';

const ESC = String.fromCharCode(27);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const UNSCHEDULABLE = 'cluster.flotilla.io/unschedulable';

interface Up {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `flotilla up` with piped output; resolves once its fleet is up (the summary's last line). */
async function startUp(dataDir: string): Promise<Up> {
  const proc = spawn(
    process.execPath,
    [join(root, 'bin', 'flotilla.js'), 'up', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: root },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => proc.once('close', (code) => r(code)));
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`flotilla up not ready in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('run it again to resume this fleet.')) {
        clearTimeout(timer);
        res();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      rej(new Error(`flotilla up exited:\n${out}`));
    });
  });
  return { proc, output: () => out, exited };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

describe('flotilla get / describe / cordon / taint', () => {
  const work = mkdtempSync(join(tmpdir(), 'flotilla-e2e-fleet-cli-'));
  const dataDir = join(work, '.flotilla');
  const kubeconfig = join(dataDir, 'kubeconfig');
  let up: Up | undefined;
  let kubectl: Kubectl;
  let kubectl127: Kubectl;

  /** `flotilla ARGS --kubeconfig <the fleet's>`. */
  const flotilla = (...args: string[]): ReturnType<typeof runFlotilla> =>
    runFlotilla([...args, '--kubeconfig', kubeconfig]);
  /** Runs it, asserts exit 0, an empty stderr and no colour; answers stdout. */
  const ok = async (...args: string[]): Promise<string> => {
    const r = await flotilla(...args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '', args.join(' '));
    assert.ok(!r.stdout.includes(ESC), `colour in piped output of ${args.join(' ')}`);
    return r.stdout;
  };
  const taintsOf = async (cluster: string): Promise<Taint[]> => {
    const obj = JSON.parse(await kubectl.ok(['get', 'cluster', cluster, '-o', 'json'])) as {
      spec: { taints?: Taint[] };
    };
    return obj.spec.taints ?? [];
  };
  /** Rows of a table (header dropped) split into cells. */
  const rows = (table: string): string[][] =>
    table
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s{2,}/));

  before(async () => {
    up = await startUp(dataDir);
    kubectl = new Kubectl('1.33', kubeconfig);
    kubectl127 = new Kubectl('1.27', kubeconfig);
  });
  after(async () => {
    kubectl.cleanup();
    kubectl127.cleanup();
    if (up) {
      up.proc.kill('SIGTERM');
      const code = await up.exited;
      assert.equal(code, 0, up.output());
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('get clusters: the fleet as a table, wide, JSON and YAML; the default kubeconfig is .flotilla/kubeconfig', async () => {
    const table = await ok('get', 'clusters');
    assert.match(table, /^NAME +READY +MODE +REGION +VERSION +NODES +CPU +AGE\n/);
    assert.deepEqual(
      rows(table).map((r) => [r[0], r[1], r[2], r[3]]),
      [
        ['eu-west-1', 'True', 'Push', 'eu-west'],
        ['us-east-1', 'True', 'Push', 'us-east'],
        ['us-west-1', 'True', 'Push', 'us-west'],
      ],
    );
    for (const r of rows(table)) {
      assert.match(r[5] ?? '', /^(\d+)\/\1$/, 'every node ready');
      assert.match(r[6] ?? '', /^\d+\/\d+$/, 'whole CPUs available/allocatable');
      assert.match(r[7] ?? '', /^\d+[smhd]/);
    }
    const wide = await ok('get', 'clusters', '-o', 'wide');
    assert.match(wide, /AGE +ZONES +PROVIDER +TAINTS\n/);
    assert.match(wide, /^us-west-1 .* us-west-1a,us-west-1b +gcp +<none>$/m);

    const inWorkDir = await runFlotilla(['get', 'clusters'], undefined, { cwd: work });
    assert.equal(inWorkDir.code, 0, inWorkDir.stderr);
    assert.equal(inWorkDir.stdout.split('\n')[0], table.split('\n')[0]);

    const list = JSON.parse(await ok('get', 'clusters', '-o', 'json')) as {
      apiVersion: string;
      kind: string;
      items: { kind: string; metadata: { name: string; managedFields?: unknown } }[];
    };
    assert.equal(list.apiVersion, 'v1');
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((c) => [c.kind, c.metadata.name]),
      [
        ['Cluster', 'eu-west-1'],
        ['Cluster', 'us-east-1'],
        ['Cluster', 'us-west-1'],
      ],
    );
    assert.ok(list.items.every((c) => c.metadata.managedFields === undefined));
    const one = parseYaml(await ok('get', 'clusters', 'us-east-1', '-o', 'yaml')) as {
      kind: string;
      metadata: { name: string };
      spec: { region: string };
    };
    assert.deepEqual([one.kind, one.metadata.name, one.spec.region], ['Cluster', 'us-east-1', 'us-east']);
  });

  it('get bindings and works: the decision 2:1 over us-east and us-west, as table, JSON and YAML', async () => {
    const empty = await flotilla('get', 'bindings');
    assert.deepEqual([empty.code, empty.stdout], [0, '']);
    assert.match(empty.stderr, /^No resources found in default namespace\.\n$/);

    await kubectl127.ok(['apply', '-f', join(root, 'examples', 'propagation', 'web.yaml')]);
    const table = await eventually(
      async () => {
        const out = await ok('get', 'bindings');
        return /^web-deployment +True +us-east-1:4,us-west-1:2 +True +\S+$/m.test(out) ? out : undefined;
      },
      { timeoutMs: 30_000, what: 'web-deployment scheduled us-east-1:4,us-west-1:2 and fully applied' },
    );
    assert.match(table, /^NAME +SCHEDULED +CLUSTERS +FULLYAPPLIED +AGE\n/);

    const wide = await ok('get', 'bindings', '-A', '-o', 'wide');
    assert.match(
      wide,
      /^NAMESPACE +NAME +SCHEDULED +CLUSTERS +FULLYAPPLIED +AGE +RESOURCE +POLICY +PRIORITY\n/,
    );
    assert.match(
      wide,
      /^default +web-deployment +True +us-east-1:4,us-west-1:2 +True +\S+ +Deployment\/web +PropagationPolicy\/web +0$/m,
    );

    const list = JSON.parse(await ok('get', 'bindings', '-o', 'json')) as {
      kind: string;
      items: { metadata: { name: string }; spec: { clusters: { name: string; replicas: number }[] } }[];
    };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items[0]?.spec.clusters, [
      { name: 'us-east-1', replicas: 4 },
      { name: 'us-west-1', replicas: 2 },
    ]);
    const one = parseYaml(await ok('get', 'rb', 'web-deployment', '-n', 'default', '-o', 'yaml')) as {
      kind: string;
      metadata: { name: string };
    };
    assert.deepEqual([one.kind, one.metadata.name], ['ResourceBinding', 'web-deployment']);

    const works = await eventually(
      async () => {
        const out = await ok('get', 'works');
        return rows(out).filter((r) => r[3] === 'True').length === 2 ? out : undefined;
      },
      { timeoutMs: 30_000, what: 'both Works applied' },
    );
    assert.match(works, /^CLUSTER +NAME +RESOURCES +APPLIED +HEALTH +AGE\n/);
    assert.deepEqual(
      rows(works).map((r) => [r[0], r[2], r[3]]),
      [
        ['us-east-1', 'Deployment/web', 'True'],
        ['us-west-1', 'Deployment/web', 'True'],
      ],
    );
    const workName = rows(works)[0]?.[1] ?? '';
    const inOne = JSON.parse(await ok('get', 'works', workName, '--cluster', 'us-west-1', '-o', 'json')) as {
      kind: string;
      metadata: { namespace: string };
    };
    assert.deepEqual([inOne.kind, inOne.metadata.namespace], ['Work', 'flotilla-es-us-west-1']);
  });

  it('describe binding: the resource, policy, decision, per-cluster status, conditions, history and events', async () => {
    const text = await eventually(
      async () => {
        const out = await ok('describe', 'binding', 'web-deployment');
        return /^Events:\n(.*\n)*.*ScheduleBindingSucceed/m.test(out) ? out : undefined;
      },
      { timeoutMs: 15_000, what: 'the scheduler event' },
    );
    for (const line of [
      /^Name: +web-deployment$/m,
      /^Namespace: +default$/m,
      /^Resource: +Deployment default\/web \(apps\/v1\)$/m,
      /^Policy: +PropagationPolicy default\/web$/m,
      /^Replicas: +6$/m,
      /^ {2}Replica Scheduling: +Divided, Weighted: region in \(us-east\)=2, region in \(us-west\)=1$/m,
      /^Decision:\n {2}Cluster +Replicas\n {2}-+ +-+\n {2}us-east-1 +4\n {2}us-west-1 +2\n/m,
      /^Cluster Status:\n {2}Cluster +Applied +Health +Status\n/m,
      /^ {2}us-east-1 +True +\w+ +.*replicas=4/m,
      /^ {2}us-west-1 +True +\w+ +.*replicas=2/m,
      /^ {2}Scheduled +True +Success +\S+ +Binding has been scheduled successfully/m,
      /^ {2}FullyApplied +True /m,
      /^Scheduling History:\n.*\n.*\n {2}\S+ +Initial +Success +us-east-1:4,us-west-1:2 /m,
      /^ {2}Normal +ScheduleBindingSucceed +\S+ +flotilla-scheduler +/m,
    ])
      assert.match(text, line);
  });

  it('describe cluster: spec, conditions, nodes, resources, APIs and events', async () => {
    const text = await ok('describe', 'cluster', 'us-east-1');
    for (const line of [
      /^Name: +us-east-1$/m,
      /^Mode: +Push$/m,
      /^Endpoint: +https:\/\/127\.0\.0\.1:\d+$/m,
      /^Region: +us-east$/m,
      /^Zones: +us-east-1a, us-east-1b$/m,
      /^Provider: +aws$/m,
      /^Nodes: +3 ready of 3$/m,
      /^API Enablements: +\d+ group version\(s\), \d+ resource\(s\)$/m,
      /^ {2}Ready +True +ClusterReady /m,
      /^ {2}cpu +\S+ +\S+ +\S+ +\S+ +\S+$/m,
      /^ {2}Normal +ClusterReady +\S+ +flotilla-cluster-status +/m,
    ])
      assert.match(text, line);
  });

  it('cordon and uncordon: the unschedulable taint, seen by get -o wide and by kubectl', async () => {
    assert.equal(await ok('cordon', 'us-west-1'), 'cluster us-west-1 cordoned\n');
    assert.equal(await ok('cordon', 'us-west-1'), 'cluster us-west-1 already cordoned\n');
    assert.deepEqual(await taintsOf('us-west-1'), [{ key: UNSCHEDULABLE, effect: 'NoSchedule' }]);
    assert.match(
      await ok('get', 'clusters', '-o', 'wide'),
      new RegExp(`^us-west-1 .* ${UNSCHEDULABLE}:NoSchedule$`, 'm'),
    );
    assert.match(
      await ok('describe', 'cluster', 'us-west-1'),
      new RegExp(`^Taints: +${UNSCHEDULABLE}:NoSchedule$`, 'm'),
    );

    assert.equal(await ok('uncordon', 'us-west-1'), 'cluster us-west-1 uncordoned\n');
    assert.equal(await ok('uncordon', 'us-west-1'), 'cluster us-west-1 already uncordoned\n');
    assert.deepEqual(await taintsOf('us-west-1'), []);
    assert.match(await ok('get', 'clusters', 'us-west-1', '-o', 'wide'), /^us-west-1 .* <none>$/m);
  });

  it('taint: adds, replaces and removes taints as kubectl taint does', async () => {
    assert.equal(
      await ok('taint', 'eu-west-1', 'dedicated=gpu:NoSchedule', 'team=a:PreferNoSchedule'),
      'cluster eu-west-1 tainted\n',
    );
    assert.equal(await ok('taint', 'eu-west-1', 'dedicated=cpu:NoSchedule'), 'cluster eu-west-1 tainted\n');
    assert.equal(await ok('taint', 'eu-west-1', 'dedicated=cpu:NoSchedule'), 'cluster eu-west-1 unchanged\n');
    assert.deepEqual(await taintsOf('eu-west-1'), [
      { key: 'dedicated', value: 'cpu', effect: 'NoSchedule' },
      { key: 'team', value: 'a', effect: 'PreferNoSchedule' },
    ]);
    assert.match(
      await ok('get', 'clusters', '-o', 'wide'),
      /^eu-west-1 .* dedicated=cpu:NoSchedule,team=a:PreferNoSchedule$/m,
    );

    const missing = await flotilla('taint', 'eu-west-1', 'team-', 'nothere:NoExecute-');
    assert.equal(missing.code, 1, missing.stderr);
    assert.equal(
      missing.stderr,
      'flotilla: cluster eu-west-1 has no taint nothere:NoExecute; nothing changed\n',
    );
    assert.equal((await taintsOf('eu-west-1')).length, 2, 'a failed removal removes nothing');

    assert.equal(
      await ok('taint', 'eu-west-1', 'dedicated-', 'team:PreferNoSchedule-'),
      'cluster eu-west-1 untainted\n',
    );
    assert.deepEqual(await taintsOf('eu-west-1'), []);
  });

  it('refuses bad input in one line with exit 2 and changes nothing', async () => {
    const before = await kubectl.ok(['get', 'clusters', '-o', 'jsonpath={.items[*].spec}']);
    const missing = join(work, 'no-such-kubeconfig');
    const bad: [string[], RegExp][] = [
      [['get', 'pods'], /unknown resource type "pods"/],
      [['get'], /a resource type is required/],
      [['get', 'clusters', '-o', 'xml'], /--output must be one of table, wide, json, yaml/],
      [['get', 'clusters', 'a', 'b'], /unexpected argument "b"/],
      [['get', 'clusters', '-n', 'default'], /cluster-scoped/],
      [['get', 'bindings', '-n', 'default', '-A'], /-n and -A cannot be used together/],
      [['get', 'bindings', '-n', 'Not_A_Namespace'], /invalid namespace/],
      [['get', 'clusters', '--bogus'], /Unknown option '--bogus'/],
      [['describe', 'binding'], /a NAME is required/],
      [['describe', 'works', 'x'], /unknown resource type "works"/],
      [['cordon'], /a cluster NAME is required/],
      [['uncordon', 'us-east-1', 'extra'], /unexpected argument "extra"/],
      [['taint', 'us-east-1'], /at least one taint is required/],
      [
        ['taint', 'us-east-1', 'dedicated=gpu'],
        /invalid taint "dedicated=gpu": must be KEY\[=VALUE\]:EFFECT/,
      ],
      [
        ['taint', 'us-east-1', 'k=v:Sometimes'],
        /effect must be one of NoSchedule, PreferNoSchedule, NoExecute/,
      ],
      [['taint', 'us-east-1', 'bad key:NoSchedule'], /invalid taint "bad key:NoSchedule": key "bad key"/],
      [['taint', 'us-east-1', 'k=1:NoSchedule', 'k-'], /cannot be both added and removed/],
      [['rebalance'], /name at least one binding/],
      [['rebalance', 'web-deployment', '--all'], /give binding names or --all, not both/],
      [['rebalance', '-A'], /-A needs --all/],
      [['rebalance', '--all', '-n', 'default', '-A'], /-n and -A cannot be used together/],
    ];
    const results = await Promise.all(bad.map(([args]) => flotilla(...args)));
    const noKubeconfig: [string[], RegExp][] = [
      [['get', 'clusters', '--kubeconfig', missing], /cannot read kubeconfig/],
      [['cordon', 'us-east-1', '--kubeconfig', missing], /cannot read kubeconfig/],
      [['describe', 'cluster', 'us-east-1', '--context', 'nope'], /has no context named "nope"/],
    ];
    results.push(
      ...(await Promise.all(
        noKubeconfig.map(([args]) => (args.includes('--kubeconfig') ? runFlotilla(args) : flotilla(...args))),
      )),
    );
    [...bad, ...noKubeconfig].forEach(([args, reason], i) => {
      const r = results[i];
      assert.ok(r);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^flotilla: [^\n]+\n$/, args.join(' '));
      assert.match(r.stderr, reason, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    });
    assert.equal(await kubectl.ok(['get', 'clusters', '-o', 'jsonpath={.items[*].spec}']), before);
  });

  it('a missing object or an unreachable hub: one line, exit 1', async () => {
    const cases: [string[], string][] = [
      [['get', 'clusters', 'nope'], 'flotilla: clusters "nope" not found\n'],
      [['get', 'bindings', 'nope'], 'flotilla: bindings "nope" not found in namespace "default"\n'],
      [['describe', 'cluster', 'nope'], 'flotilla: clusters "nope" not found\n'],
      [['cordon', 'nope'], 'flotilla: clusters "nope" not found\n'],
      [['rebalance', 'nope'], 'flotilla: bindings "nope" not found in namespace "default"\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await flotilla(...args);
      assert.deepEqual([r.code, r.stderr, r.stdout], [1, stderr, ''], args.join(' '));
    }
    const port = await closedPort();
    const config = readFileSync(kubeconfig, 'utf8').replace(
      /https:\/\/127\.0\.0\.1:\d+/g,
      `https://127.0.0.1:${port}`,
    );
    const unreachable = join(work, 'unreachable-kubeconfig');
    writeFileSync(unreachable, config);
    const r = await runFlotilla(['get', 'clusters', '--kubeconfig', unreachable]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^flotilla: cannot reach the hub at https://127\\.0\\.0\\.1:${port}: .*\\n$`),
    );
  });

  it('--help lists every flag, exit 0', async () => {
    const cases: [string[], string[]][] = [
      [
        ['get', '--help'],
        ['--namespace', '--all-namespaces', '--cluster', '--output', '--kubeconfig', '--context', '--help'],
      ],
      [
        ['describe', '-h'],
        ['--namespace', '--kubeconfig', '--context', '--help'],
      ],
      [
        ['cordon', '--help'],
        ['--kubeconfig', '--context', '--help'],
      ],
      [
        ['uncordon', '--help'],
        ['--kubeconfig', '--context', '--help'],
      ],
      [
        ['taint', '--help'],
        ['NoSchedule', 'PreferNoSchedule', 'NoExecute', '--kubeconfig', '--context', '--help'],
      ],
      [
        ['rebalance', '--help'],
        ['--namespace', '--all', '--all-namespaces', '--kubeconfig', '--context', '--help'],
      ],
    ];
    for (const [args, flags] of cases) {
      const r = await runFlotilla(args);
      assert.equal(r.code, 0, r.stderr);
      for (const flag of flags) assert.ok(r.stdout.includes(flag), `${args.join(' ')} lacks ${flag}`);
    }
    const top = await runFlotilla(['--help']);
    for (const command of ['get', 'describe', 'cordon', 'taint', 'rebalance'])
      assert.match(top.stdout, new RegExp(`^ {2}${command} `, 'm'));
  });

  it('colours READY on a terminal, unless NO_COLOR is set', () => {
    const command = (env: string): string =>
      `${env}'${process.execPath}' '${join(root, 'bin', 'flotilla.js')}' get clusters --kubeconfig '${kubeconfig}'`;
    const { NO_COLOR: _, ...env } = process.env;
    const tty = spawnSync('script', ['-qfec', command(''), '/dev/null'], { encoding: 'utf8', env });
    assert.ok(tty.stdout.includes(`${ESC}[32mTrue${ESC}[0m`), tty.stdout);
    const noColour = spawnSync('script', ['-qfec', command('NO_COLOR=1 '), '/dev/null'], {
      encoding: 'utf8',
    });
    assert.match(noColour.stdout, /us-east-1 +True/);
    assert.ok(!noColour.stdout.includes(ESC), noColour.stdout);
  });
});
