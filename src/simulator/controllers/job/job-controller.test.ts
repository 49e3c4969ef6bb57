import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/meta.js';
import { isNotFound } from '../../../api/status.js';
import { eventually } from '../../../base/testing/eventually.js';
import { newMemberEnv } from '../../testing/member-env.js';
import type { MemberEnv } from '../../testing/member-env.js';
import { setPodState } from '../revisions/testing/kubelet-double.js';
import { JOBS, JobController } from './job-controller.js';
import { jobSelectorGeneration } from './job-selector-admission.js';

const NS = 'default';
const JOB_REF = { ...JOBS, namespace: NS };
const PODS = { apiVersion: 'v1', plural: 'pods', namespace: NS };
const EVENTS = { apiVersion: 'v1', plural: 'events', namespace: NS };

function makeJob(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: NS },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] } },
      ...spec,
    },
  };
}

async function setup(t: TestContext): Promise<MemberEnv> {
  const env = await newMemberEnv(t, { admission: [jobSelectorGeneration] });
  env.run(new JobController({ ...env, recorder: env.recorder('job-controller') }));
  return env;
}

interface JobStatus {
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  completedIndexes?: string;
  startTime?: string;
  completionTime?: string;
  uncountedTerminatedPods?: unknown;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

async function jobStatus(env: MemberEnv, name: string): Promise<JobStatus> {
  return (await env.client.get(JOB_REF, name))['status'] ?? {};
}

async function livePods(env: MemberEnv, job: string): Promise<KubeObject[]> {
  return (await env.client.list(PODS, { labelSelector: `job-name=${job}` })).items.filter((p) => {
    const phase = (p['status'] as { phase?: string } | undefined)?.phase;
    return p.metadata.deletionTimestamp === undefined && phase !== 'Succeeded' && phase !== 'Failed';
  });
}

async function finish(env: MemberEnv, pod: KubeObject, phase: 'Succeeded' | 'Failed'): Promise<void> {
  await setPodState(
    env.client,
    { namespace: NS, name: pod.metadata.name ?? '' },
    { state: { phase }, clock: env.clock },
  );
}

const has = (s: JobStatus, type: string, reason?: string): boolean =>
  (s.conditions ?? []).some(
    (c) => c.type === type && c.status === 'True' && (reason === undefined || c.reason === reason),
  );

const until = (
  env: MemberEnv,
  check: () => Promise<boolean>,
  at: string | { what: string; stepMs: number },
): Promise<void> => eventually(check, { clock: env.clock, ...(typeof at === 'string' ? { what: at } : at) });

async function eventReasons(env: MemberEnv): Promise<string[]> {
  return (await env.client.list(EVENTS)).items.map((e) => `${String(e['reason'])}: ${String(e['message'])}`);
}

describe('JobController', () => {
  it('runs parallelism pods until completions succeed, then completes', async (t) => {
    const env = await setup(t);
    const job = await env.create(JOB_REF, makeJob('pi', { completions: 3, parallelism: 2 }));
    await until(env, async () => (await livePods(env, 'pi')).length === 2, 'two pods');
    const [first] = await livePods(env, 'pi');
    assert.ok(first);
    assert.equal(first.metadata.generateName, 'pi-');
    assert.deepEqual(first.metadata.finalizers, ['batch.kubernetes.io/job-tracking']);
    assert.equal(first.metadata.labels?.['batch.kubernetes.io/controller-uid'], job.metadata.uid);
    assert.equal(first.metadata.labels?.['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(first.metadata.labels?.['controller-uid'], job.metadata.uid);
    assert.equal(first.metadata.labels?.['job-name'], 'pi');
    assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Job');
    await until(env, async () => (await jobStatus(env, 'pi')).active === 2, 'active 2');
    const s0 = await jobStatus(env, 'pi');
    assert.ok(s0.startTime);
    assert.equal(s0.ready, 0);
    assert.equal(s0.terminating, 0);
    assert.deepEqual(s0.uncountedTerminatedPods, {});

    await finish(env, first, 'Succeeded');
    await until(env, async () => (await jobStatus(env, 'pi')).succeeded === 1, 'one counted');
    await until(env, async () => (await livePods(env, 'pi')).length === 2, 'a third pod replaces it');
    const counted = await env.client.get(PODS, first.metadata.name ?? '');
    assert.deepEqual(counted.metadata.finalizers ?? [], [], 'counted pods lose the tracking finalizer');
    for (const pod of await livePods(env, 'pi')) await finish(env, pod, 'Succeeded');
    await until(env, async () => has(await jobStatus(env, 'pi'), 'Complete'), 'Complete');
    const s = await jobStatus(env, 'pi');
    assert.equal(s.succeeded, 3);
    assert.equal(s.active, undefined);
    assert.ok(s.completionTime);
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );
    await until(
      env,
      async () => (await eventReasons(env)).includes('Completed: Job completed'),
      'Completed event',
    );
    await until(
      env,
      async () =>
        (await eventReasons(env)).filter((r) => r.startsWith('SuccessfulCreate: Created pod: pi-')).length ===
        3,
      'a SuccessfulCreate event per pod',
    );
  });

  it('without completions, completes once a pod succeeded and the rest finished', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('queue', { parallelism: 2 }));
    await until(env, async () => (await livePods(env, 'queue')).length === 2, 'two workers');
    const [a, b] = await livePods(env, 'queue');
    await finish(env, a as KubeObject, 'Succeeded');
    await until(env, async () => (await jobStatus(env, 'queue')).succeeded === 1, 'one done');
    await env.clock.advance(2_000);
    assert.equal((await livePods(env, 'queue')).length, 1, 'no new worker after a success');
    await finish(env, b as KubeObject, 'Succeeded');
    await until(env, async () => has(await jobStatus(env, 'queue'), 'Complete'), 'Complete');
  });

  it('gives Indexed pods their completion index and tracks completedIndexes', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    await until(env, async () => (await livePods(env, 'idx')).length === 3, 'three pods');
    const byIndex = new Map<string, KubeObject>();
    for (const pod of await livePods(env, 'idx'))
      byIndex.set(pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] ?? '', pod);
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    const one = byIndex.get('1') as KubeObject;
    const spec = one['spec'] as { hostname?: string; containers: { env?: unknown[] }[] };
    assert.equal(one.metadata.generateName, 'idx-1-');
    assert.equal(one.metadata.labels?.['batch.kubernetes.io/job-completion-index'], '1');
    assert.equal(spec.hostname, 'idx-1');
    assert.deepEqual(spec.containers[0]?.env, [
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: {
            apiVersion: 'v1',
            fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']",
          },
        },
      },
    ]);
    await finish(env, one, 'Succeeded');
    await until(env, async () => (await jobStatus(env, 'idx')).completedIndexes === '1', 'index 1 done');
    await finish(env, byIndex.get('0') as KubeObject, 'Succeeded');
    await finish(env, byIndex.get('2') as KubeObject, 'Succeeded');
    await until(env, async () => has(await jobStatus(env, 'idx'), 'Complete'), 'Complete');
    const s = await jobStatus(env, 'idx');
    assert.equal(s.completedIndexes, '0-2');
    assert.equal(s.succeeded, 3);
  });

  it('backs off before replacing failed pods and fails past backoffLimit', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('flaky', { backoffLimit: 1 }));
    await until(env, async () => (await livePods(env, 'flaky')).length === 1, 'first pod');
    await finish(env, (await livePods(env, 'flaky'))[0] as KubeObject, 'Failed');
    await until(env, async () => (await jobStatus(env, 'flaky')).failed === 1, 'one failure counted');
    await env.clock.advance(5_000);
    assert.equal((await livePods(env, 'flaky')).length, 0, 'no replacement within the 10 s back-off');
    await until(env, async () => (await livePods(env, 'flaky')).length === 1, {
      what: 'replacement after back-off',
      stepMs: 1_000,
    });
    await finish(env, (await livePods(env, 'flaky'))[0] as KubeObject, 'Failed');
    await until(
      env,
      async () => has(await jobStatus(env, 'flaky'), 'Failed', 'BackoffLimitExceeded'),
      'Failed',
    );
    const s = await jobStatus(env, 'flaky');
    assert.equal(s.failed, 2);
    assert.deepEqual(
      s.conditions?.map((c) => [c.type, c.reason, c.message]),
      [
        ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
        ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ],
    );
    assert.equal(s.completionTime, undefined);
    await until(
      env,
      async () =>
        (await eventReasons(env)).includes(
          'BackoffLimitExceeded: Job has reached the specified backoff limit',
        ),
      'BackoffLimitExceeded event',
    );
  });

  it('fails a job active longer than activeDeadlineSeconds and removes its pods', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('slow', { activeDeadlineSeconds: 30 }));
    await until(env, async () => (await livePods(env, 'slow')).length === 1, 'pod');
    const pod = (await livePods(env, 'slow'))[0] as KubeObject;
    await setPodState(
      env.client,
      { namespace: NS, name: pod.metadata.name ?? '' },
      { state: { phase: 'Running', ready: true }, clock: env.clock },
    );
    await env.clock.advance(29_000);
    assert.equal(has(await jobStatus(env, 'slow'), 'Failed'), false);
    await until(env, async () => has(await jobStatus(env, 'slow'), 'Failed', 'DeadlineExceeded'), {
      what: 'DeadlineExceeded',
      stepMs: 1_000,
    });
    const s = await jobStatus(env, 'slow');
    assert.equal(s.failed, 1, 'the running pod counts as failed');
    assert.equal(s.active, undefined);
    assert.equal(
      s.conditions?.find((c) => c.type === 'Failed')?.message,
      'Job was active longer than specified deadline',
    );
    await until(
      env,
      async () => {
        try {
          await env.client.get(PODS, pod.metadata.name ?? '');
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      'pod deleted',
    );
  });

  it('suspends and resumes', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('later', { suspend: true }));
    await until(
      env,
      async () => has(await jobStatus(env, 'later'), 'Suspended', 'JobSuspended'),
      'Suspended',
    );
    assert.equal((await livePods(env, 'later')).length, 0);
    assert.equal((await jobStatus(env, 'later')).startTime, undefined);
    await env.client.patch(JOB_REF, 'later', {
      body: { spec: { suspend: false } },
      options: { type: 'merge' },
    });
    await until(env, async () => (await livePods(env, 'later')).length === 1, 'pod after resume');
    await until(
      env,
      async () =>
        (await jobStatus(env, 'later')).conditions?.some(
          (c) => c.type === 'Suspended' && c.status === 'False' && c.reason === 'JobResumed',
        ) === true,
      'Resumed',
    );
    assert.ok((await jobStatus(env, 'later')).startTime);
  });

  it('deletes a finished job after ttlSecondsAfterFinished', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('brief', { ttlSecondsAfterFinished: 60 }));
    await until(env, async () => (await livePods(env, 'brief')).length === 1, 'pod');
    await finish(env, (await livePods(env, 'brief'))[0] as KubeObject, 'Succeeded');
    await until(env, async () => has(await jobStatus(env, 'brief'), 'Complete'), 'Complete');
    await env.clock.advance(30_000);
    await env.client.get(JOB_REF, 'brief');
    await until(
      env,
      async () => {
        try {
          await env.client.get(JOB_REF, 'brief');
          return false;
        } catch (err) {
          return isNotFound(err);
        }
      },
      { what: 'job deleted after its TTL', stepMs: 1_000 },
    );
  });

  it('releases the tracking finalizer of pods whose job is gone', async (t) => {
    const env = await setup(t);
    await env.create(JOB_REF, makeJob('gone'));
    await until(env, async () => (await livePods(env, 'gone')).length === 1, 'pod');
    const pod = (await livePods(env, 'gone'))[0] as KubeObject;
    await env.client.delete(JOB_REF, 'gone', { propagationPolicy: 'Background' });
    await until(
      env,
      async () =>
        ((await env.client.get(PODS, pod.metadata.name ?? '')).metadata.finalizers ?? []).length === 0,
      'finalizer removed from the orphan',
    );
  });

  it('the selector admission labels the template and selects by controller uid', async (t) => {
    const env = await newMemberEnv(t, { admission: [jobSelectorGeneration] });
    const job = await env.create(JOB_REF, makeJob('sel'));
    const spec = job['spec'] as {
      selector?: unknown;
      template: { metadata?: { labels?: Record<string, string> } };
    };
    assert.deepEqual(spec.selector, {
      matchLabels: { 'batch.kubernetes.io/controller-uid': job.metadata.uid },
    });
    assert.deepEqual(spec.template.metadata?.labels, {
      'batch.kubernetes.io/controller-uid': job.metadata.uid,
      'batch.kubernetes.io/job-name': 'sel',
      'controller-uid': job.metadata.uid,
      'job-name': 'sel',
    });
  });
});
