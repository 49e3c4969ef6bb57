import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/meta.js';
import { makePod } from '../testing/fixtures.js';
import { newMemberEnv } from '../testing/member-env.js';
import { defaultPodAdmission } from './default-pod-admission.js';

const PODS = { apiVersion: 'v1', plural: 'pods', namespace: 'default' };

interface PodSpec {
  tolerations?: Record<string, unknown>[];
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; projected?: unknown }[];
  containers: { volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[] }[];
}

function specOf(pod: KubeObject): PodSpec {
  return pod['spec'] as PodSpec;
}

const NOT_READY = {
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};
const UNREACHABLE = {
  key: 'node.kubernetes.io/unreachable',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};

describe('defaultPodAdmission', () => {
  it('adds the default NoExecute tolerations and the default service account', async (t) => {
    const env = await newMemberEnv(t, { admission: [defaultPodAdmission()] });
    const pod = await env.create(PODS, makePod('web').obj());
    const spec = specOf(pod);
    assert.deepEqual(spec.tolerations, [NOT_READY, UNREACHABLE]);
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default');
    assert.equal(spec.automountServiceAccountToken, undefined);
    assert.equal(spec.volumes, undefined);
  });

  it('keeps tolerations the pod already has and only adds what is missing', async (t) => {
    const env = await newMemberEnv(t, {
      admission: [defaultPodAdmission({ unreachableTolerationSeconds: 60 })],
    });
    const own = {
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 5,
    };
    const pod = await env.create(
      PODS,
      makePod('a')
        .spec({ tolerations: [own] })
        .obj(),
    );
    assert.deepEqual(specOf(pod).tolerations, [own, { ...UNREACHABLE, tolerationSeconds: 60 }]);
    const everything = await env.create(
      PODS,
      makePod('b')
        .spec({ tolerations: [{ operator: 'Exists' }] })
        .obj(),
    );
    assert.deepEqual(specOf(everything).tolerations, [{ operator: 'Exists' }]);
    const mirror = await env.create(
      PODS,
      makePod('c').annotations({ 'kubernetes.io/config.mirror': 'abc' }).obj(),
    );
    assert.equal(specOf(mirror).tolerations, undefined);
    assert.equal(specOf(mirror).serviceAccountName, undefined);
  });

  it('keeps a named service account and leaves automountServiceAccountToken alone', async (t) => {
    const env = await newMemberEnv(t, { admission: [defaultPodAdmission()] });
    const pod = await env.create(
      PODS,
      makePod('a').spec({ serviceAccountName: 'builder', automountServiceAccountToken: false }).obj(),
    );
    assert.equal(specOf(pod).serviceAccountName, 'builder');
    assert.equal(specOf(pod).serviceAccount, 'builder');
    assert.equal(specOf(pod).automountServiceAccountToken, false);
  });

  it('mounts the projected service account token when asked to', async (t) => {
    const env = await newMemberEnv(t, {
      admission: [defaultPodAdmission({ mountServiceAccountToken: true })],
    });
    const spec = specOf(await env.create(PODS, makePod('a').obj()));
    const volume = spec.volumes?.[0];
    assert.match(volume?.name ?? '', /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(spec.containers[0]?.volumeMounts, [
      { name: volume?.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
    const opted = specOf(
      await env.create(PODS, makePod('b').spec({ automountServiceAccountToken: false }).obj()),
    );
    assert.equal(opted.volumes, undefined);
  });
});
