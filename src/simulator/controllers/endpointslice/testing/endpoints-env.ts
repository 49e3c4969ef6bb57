/**
 * Test helpers for the Service endpoint controllers: a member environment whose API server
 * allocates Service addresses, zone-labelled nodes, and pods in the state a kubelet leaves them
 * (scheduled, with an IP, Ready or not).
 */
import type { TestContext } from 'node:test';
import type { KubeObject } from '../../../../api/meta.js';
import { ServiceIpAllocator } from '../../../admission/service-ip-allocator.js';
import { makeNode, makePod } from '../../../testing/fixtures.js';
import type { MemberEnv } from '../../../testing/member-env.js';
import { newMemberEnv } from '../../../testing/member-env.js';

export const SERVICES = { apiVersion: 'v1', plural: 'services', namespace: 'default' };
export const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };
export const NODES = { apiVersion: 'v1', plural: 'nodes' };

/** An environment with Service address allocation running and nodes n1 (zone-a), n2 (zone-b). */
export async function endpointsEnv(t: TestContext): Promise<MemberEnv> {
  const allocator = new ServiceIpAllocator();
  const env = await newMemberEnv(t, { admission: [allocator] });
  env.run(allocator.connect({ informers: env.informers, clock: env.clock, log: env.log }));
  await allocator.waitForSync(env.signal);
  await env.create(NODES, makeNode('n1').labels({ 'topology.kubernetes.io/zone': 'zone-a' }).obj());
  await env.create(NODES, makeNode('n2').labels({ 'topology.kubernetes.io/zone': 'zone-b' }).obj());
  return env;
}

/** A Service selecting `app: <selector>` with the given spec fields. */
export function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', labels: { team: 'blue' } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  };
}

/** How a test pod runs. */
export interface PodState {
  app: string;
  ip?: string;
  ready?: boolean;
  node?: string;
  spec?: Record<string, unknown>;
}

/** Creates a pod scheduled on `node` (n1) and reports it Running with `ip`, Ready unless told. */
export async function runPod(env: MemberEnv, name: string, state: PodState): Promise<KubeObject> {
  const created = await env.create(
    PODS,
    makePod(name)
      .labels({ app: state.app })
      .spec({ nodeName: state.node ?? 'n1', ...(state.spec ?? {}) })
      .obj(),
  );
  if (state.ip === undefined) return created;
  return setPodStatus(env, created, { ip: state.ip, ready: state.ready ?? true });
}

/** Reports `pod` Running with `ip`, Ready or not (transition time = now). */
export async function setPodStatus(
  env: MemberEnv,
  pod: KubeObject,
  state: { ip: string; ready: boolean },
): Promise<KubeObject> {
  const now = new Date(env.clock.now()).toISOString().replace('.000Z', 'Z');
  const status = {
    phase: 'Running',
    podIP: state.ip,
    podIPs: [{ ip: state.ip }],
    conditions: [{ type: 'Ready', status: state.ready ? 'True' : 'False', lastTransitionTime: now }],
  };
  return env.client.updateStatus(PODS, { ...pod, metadata: { ...pod.metadata }, status });
}
