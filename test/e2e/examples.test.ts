/**
 * Every manifest in examples/ does what its opening comment says, on the fleet `flotilla up`
 * brings up by default (us-east-1 3×8 CPU, us-west-1 5×16, eu-west-1 2×4), through the real kubectl.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kubectl, eventually } from './harness.js';
import { startUp } from './up-process.js';
import type { Up } from './up-process.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const example = (path: string): string => join(root, 'examples', path);

interface Binding {
  metadata: { name: string };
  spec: { clusters?: { name: string; replicas?: number }[] };
  status?: {
    conditions?: { type: string; status: string; reason: string }[];
    schedulingHistory?: { trigger: string }[];
  };
}

describe('examples/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-e2e-examples-'));
  let up: Up;
  let k: Kubectl;

  before(async () => {
    up = startUp(dir, { tty: false });
    await up.until('resume this fleet.');
    k = new Kubectl('1.33', join(dir, 'kubeconfig'));
  });
  after(async () => {
    k.cleanup();
    up.proc.kill('SIGTERM');
    await up.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  const binding = async (name: string): Promise<Binding> =>
    JSON.parse(await k.ok(['get', 'rb', name, '-o', 'json'])) as Binding;
  /** `cluster:replicas …` of a binding, once it is Scheduled with `replicas` in all. */
  const placed = async (name: string, replicas?: number): Promise<string> => {
    let text = '';
    await eventually(
      async () => {
        const b = await binding(name).catch(() => undefined);
        const clusters = b?.spec.clusters ?? [];
        text = clusters.map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ');
        const sum = clusters.reduce((n, c) => n + (c.replicas ?? 0), 0);
        return clusters.length > 0 && (replicas === undefined || sum === replicas);
      },
      { what: `${name} placed (last: ${text})`, timeoutMs: 30_000 },
    );
    return text;
  };
  const memberHas = async (context: string, ...objects: string[]): Promise<boolean> =>
    (await k.run(['--context', context, 'get', ...objects, '-o', 'name'])).code === 0;

  it('each example opens with a comment that says what it shows', () => {
    for (const file of readdirSync(example('.'), { recursive: true }) as string[])
      if (file.endsWith('.yaml')) assert.ok(/^# \S/.test(readFileSync(example(file), 'utf8')), file);
  });

  it('priority: checkout (1000) preempts half of batch (10) on eu-west-1', async () => {
    await k.ok(['apply', '-f', example('priority/batch.yaml')]);
    assert.equal(await placed('batch-deployment', 4), 'eu-west-1:4');
    await eventually(
      async () => (await k.ok(['get', 'deploy', 'batch', '-o', 'jsonpath={.status.readyReplicas}'])) === '4',
      {
        what: 'batch ready',
        timeoutMs: 30_000,
      },
    );
    await k.ok(['apply', '-f', example('priority/checkout.yaml')]);
    assert.equal(await placed('checkout-deployment', 2), 'eu-west-1:2');
    const batch = await binding('batch-deployment');
    assert.equal(placedText(batch), 'eu-west-1:2');
    assert.ok(
      batch.status?.schedulingHistory?.some((h) => h.trigger === 'Preemption'),
      JSON.stringify(batch.status),
    );
    // The preempted replicas stay gone: batch does not scale back into the room it gave up.
    await eventually(
      async () =>
        (await k.ok(['--context', 'eu-west-1', 'get', 'pods', '--no-headers']))
          .trim()
          .split('\n')
          .filter((l) => /\sRunning\s/.test(l)).length === 4,
      { what: 'two batch and two checkout pods running', timeoutMs: 30_000 },
    );
    assert.equal(placedText(await binding('batch-deployment')), 'eu-west-1:2');
    await k.ok(['delete', '-f', example('priority/'), '--wait=true']);
    // The next examples divide by capacity: wait until the hub sees eu-west-1 empty again.
    await eventually(
      async () =>
        (await k.ok([
          'get',
          'cluster',
          'eu-west-1',
          '-o',
          'jsonpath={.status.resourceSummary.allocated.pods}',
        ])) === '',
      { what: 'eu-west-1 empty on the hub', timeoutMs: 30_000 },
    );
  });

  it('spread-by-capacity: shop goes everywhere, most where there is most room', async () => {
    await k.ok(['apply', '-f', example('spread-by-capacity.yaml')]);
    const split = Object.fromEntries(
      (await placed('shop-deployment', 12)).split(' ').map((t) => t.split(':') as [string, string]),
    );
    assert.deepEqual(Object.keys(split).sort(), ['eu-west-1', 'us-east-1', 'us-west-1']);
    const n = (c: string): number => Number(split[c]);
    assert.ok(n('us-west-1') > n('us-east-1') && n('us-east-1') > n('eu-west-1'), JSON.stringify(split));
  });

  it('propagation/web: a static 2:1 split by region', async () => {
    await k.ok(['apply', '-f', example('propagation/web.yaml')]);
    assert.equal(await placed('web-deployment', 6), 'us-east-1:4 us-west-1:2');
  });

  it('eu-only: ledger and its ConfigMap in eu-west only', async () => {
    await k.ok(['apply', '-f', example('eu-only.yaml')]);
    assert.equal(await placed('ledger-deployment'), 'eu-west-1:2');
    await eventually(() => memberHas('eu-west-1', 'deployment/ledger', 'configmap/ledger-settings'), {
      what: 'ledger in eu-west-1',
      timeoutMs: 30_000,
    });
    for (const c of ['us-east-1', 'us-west-1']) {
      assert.equal(await memberHas(c, 'deployment/ledger'), false, c);
      assert.equal(await memberHas(c, 'configmap/ledger-settings'), false, c);
    }
  });

  it('override-per-region: one greeter per cluster, each with its region’s image, label and env', async () => {
    await k.ok(['apply', '-f', example('override-per-region.yaml')]);
    assert.equal(await placed('greeter-deployment'), 'eu-west-1:1 us-east-1:1 us-west-1:1');
    for (const [cluster, region] of [
      ['us-east-1', 'us-east'],
      ['us-west-1', 'us-west'],
      ['eu-west-1', 'eu-west'],
    ] as const)
      await eventually(
        async () =>
          (await k
            .ok([
              '--context',
              cluster,
              'get',
              'deploy',
              'greeter',
              '-o',
              'jsonpath={.spec.template.spec.containers[0].image} {.metadata.labels.region} {.spec.template.spec.containers[0].env[0].value}',
            ])
            .catch(() => '')) === `mirror.${region}.example/nginx:1.27 ${region} ${region}`,
        { what: `greeter overridden in ${cluster}`, timeoutMs: 30_000 },
      );
  });

  it('propagation/with-deps: api with its ConfigMap and Secret in every cluster', async () => {
    await k.ok(['apply', '-f', example('propagation/with-deps.yaml')]);
    for (const c of ['us-east-1', 'us-west-1', 'eu-west-1'])
      await eventually(() => memberHas(c, 'deployment/api', 'configmap/api-config', 'secret/api-token'), {
        what: `api and its dependencies in ${c}`,
        timeoutMs: 30_000,
      });
  });
});

function placedText(b: Binding): string {
  return (b.spec.clusters ?? []).map((c) => `${c.name}:${c.replicas ?? '-'}`).join(' ');
}
