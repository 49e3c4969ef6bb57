/**
 * Test setup for Deployment tests: a member env running the Deployment and ReplicaSet controllers
 * and the fake kubelet, plus readers for the objects the tests look at.
 */
import type { TestContext } from 'node:test';
import { eventually } from '../../../../base/testing/eventually.js';
import { newMemberEnv } from '../../../testing/member-env.js';
import type { MemberEnv } from '../../../testing/member-env.js';
import { ReplicaSetController } from '../../replicaset/replicaset-controller.js';
import { FakeKubelet } from '../../workload-common/testing/fake-kubelet.js';
import type { Deployment, ReplicaSet } from '../../workload-common/types.js';
import { DEPLOYMENTS, REPLICASETS, specReplicas } from '../../workload-common/types.js';
import { DeploymentController } from '../deployment-controller.js';

/** Deployments of the `default` namespace. */
export const NS_DEPLOYMENTS = { ...DEPLOYMENTS, namespace: 'default' };
/** ReplicaSets of the `default` namespace. */
export const NS_REPLICASETS = { ...REPLICASETS, namespace: 'default' };

/** What a Deployment test works with. */
export interface DeploymentEnv {
  env: MemberEnv;
  kubelet: FakeKubelet;
}

/** Starts both controllers and a kubelet that readies pods `readyAfterMs` after they run. */
export async function startDeploymentEnv(
  t: TestContext,
  o: { readyAfterMs?: number } = {},
): Promise<DeploymentEnv> {
  const env = await newMemberEnv(t);
  const common = { client: env.client, informers: env.informers, clock: env.clock, log: env.log };
  env.run(new DeploymentController({ ...common, recorder: env.recorder('deployment-controller') }));
  env.run(new ReplicaSetController({ ...common, recorder: env.recorder('replicaset-controller') }));
  const kubelet = new FakeKubelet({
    ...common,
    ...(o.readyAfterMs !== undefined ? { readyAfterMs: o.readyAfterMs } : {}),
  });
  env.run(kubelet);
  return { env, kubelet };
}

/** The Deployment as stored. */
export async function getDeployment(env: MemberEnv, name: string): Promise<Deployment> {
  return env.client.get<Deployment>(NS_DEPLOYMENTS, name);
}

/** The ReplicaSets `d` controls, oldest revision first. */
export async function replicaSetsOf(env: MemberEnv, d: Deployment): Promise<ReplicaSet[]> {
  const all = (await env.client.list<ReplicaSet>(NS_REPLICASETS)).items;
  return all
    .filter((rs) =>
      rs.metadata.ownerReferences?.some((r) => r.uid === d.metadata.uid && r.controller === true),
    )
    .sort((a, b) => revision(a) - revision(b));
}

/** The revision annotation of a ReplicaSet (0 when absent). */
export function revision(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '0');
}

/** Polls (stepping the clock) until the rollout of `name` is complete as `kubectl rollout status` sees it. */
export async function untilComplete(
  env: MemberEnv,
  name: string,
  o: { stepMs?: number } = {},
): Promise<Deployment> {
  let d: Deployment | undefined;
  await eventually(
    async () => {
      d = await getDeployment(env, name);
      const s = d.status ?? {};
      const replicas = specReplicas(d);
      const progressing = s.conditions?.find((c) => c.type === 'Progressing');
      return (
        (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
        (s.updatedReplicas ?? 0) === replicas &&
        (s.replicas ?? 0) === replicas &&
        (s.availableReplicas ?? 0) === replicas &&
        progressing?.reason === 'NewReplicaSetAvailable'
      );
    },
    { clock: env.clock, stepMs: o.stepMs ?? 100, what: `rollout of ${name} complete` },
  );
  if (!d) throw new Error('unreachable');
  return d;
}

/** Replaces the container image of `name`'s template (what `kubectl set image` does). */
export async function setImage(env: MemberEnv, name: string, image: string): Promise<void> {
  await env.client.patch(NS_DEPLOYMENTS, name, {
    body: { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
    options: { type: 'strategic' },
  });
}
