import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  NON_ZERO_DEFAULTS,
  addResourceAmounts,
  podRequests,
  resourceAmount,
  resourceAmounts,
} from './pod-resources.js';
import type { ContainerResourcesLike, PodSpecResourcesLike, ResourceAmounts } from './pod-resources.js';

const Mi = 2 ** 20;
const Gi = 2 ** 30;

function c(
  requests?: Record<string, string>,
  extra: Partial<ContainerResourcesLike> = {},
): ContainerResourcesLike {
  return { ...(requests ? { resources: { requests } } : {}), ...extra };
}

describe('resourceAmount', () => {
  const cases: [string, string | number, number | undefined][] = [
    ['cpu', '500m', 500],
    ['cpu', '1', 1000],
    ['cpu', '0.1', 100],
    ['cpu', '1.5', 1500],
    ['cpu', '100u', 1], // rounded up to a whole millicore
    ['cpu', 2, 2000],
    ['memory', '1Gi', Gi],
    ['memory', '128974848', 128974848],
    ['memory', '129e6', 129e6],
    ['memory', '0.5', 1], // whole bytes, rounded up
    ['ephemeral-storage', '10G', 10e9],
    ['nvidia.com/gpu', '2', 2],
    ['memory', 'lots', undefined],
  ];
  for (const [name, quantity, want] of cases) {
    it(`${name} ${String(quantity)} → ${String(want)}`, () =>
      assert.equal(resourceAmount(name, quantity), want));
  }

  it('parses a ResourceList, leaving malformed entries out', () => {
    assert.deepEqual(resourceAmounts({ cpu: '4', memory: '16Gi', pods: '110', bogus: 'x' }), {
      cpu: 4000,
      memory: 16 * Gi,
      pods: 110,
    });
    assert.deepEqual(resourceAmounts(undefined), {});
  });

  it('adds and subtracts amounts', () => {
    const into: ResourceAmounts = { cpu: 100 };
    addResourceAmounts(into, { cpu: 50, memory: 10 });
    assert.deepEqual(into, { cpu: 150, memory: 10 });
    addResourceAmounts(into, { cpu: 150, memory: 10 }, -1);
    assert.deepEqual(into, { cpu: 0, memory: 0 });
  });
});

describe('podRequests', () => {
  const cases: { name: string; spec: PodSpecResourcesLike; want: ResourceAmounts }[] = [
    { name: 'no containers: just the pod slot', spec: {}, want: { pods: 1 } },
    { name: 'no requests', spec: { containers: [c(), c()] }, want: { pods: 1 } },
    {
      name: 'containers are summed',
      spec: { containers: [c({ cpu: '100m', memory: '64Mi' }), c({ cpu: '250m' })] },
      want: { cpu: 350, memory: 64 * Mi, pods: 1 },
    },
    {
      name: 'a request falls back to the limit',
      spec: {
        containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { memory: '512Mi' } } }],
      },
      want: { cpu: 1000, memory: 512 * Mi, pods: 1 },
    },
    {
      name: 'the largest init container wins when it exceeds the app sum',
      spec: {
        containers: [c({ cpu: '100m', memory: '100Mi' }), c({ cpu: '100m', memory: '100Mi' })],
        initContainers: [c({ cpu: '500m', memory: '50Mi' }), c({ cpu: '50m', memory: '300Mi' })],
      },
      want: { cpu: 500, memory: 300 * Mi, pods: 1 },
    },
    {
      name: 'sidecars run with the app containers and with later init steps',
      spec: {
        containers: [c({ cpu: '100m' })],
        initContainers: [
          c({ cpu: '200m' }), // before the sidecar: runs alone
          c({ cpu: '50m' }, { restartPolicy: 'Always' }),
          c({ cpu: '300m' }), // runs beside the sidecar: 350m
        ],
      },
      // app 100m + sidecar 50m = 150m; init peak max(200m, 50m, 350m) = 350m
      want: { cpu: 350, pods: 1 },
    },
    {
      name: 'sidecars add to the app sum when it is the larger',
      spec: {
        containers: [c({ cpu: '1' })],
        initContainers: [c({ cpu: '100m' }, { restartPolicy: 'Always' }), c({ cpu: '200m' })],
      },
      want: { cpu: 1100, pods: 1 },
    },
    {
      name: 'overhead is added on top',
      spec: { containers: [c({ cpu: '100m' })], overhead: { cpu: '250m', memory: '120Mi' } },
      want: { cpu: 350, memory: 120 * Mi, pods: 1 },
    },
    {
      name: 'extended resources and ephemeral storage',
      spec: {
        containers: [c({ 'nvidia.com/gpu': '1', 'ephemeral-storage': '1Gi' }), c({ 'nvidia.com/gpu': '2' })],
        initContainers: [c({ 'nvidia.com/gpu': '4' })],
      },
      want: { 'nvidia.com/gpu': 4, 'ephemeral-storage': Gi, pods: 1 },
    },
    {
      name: 'pod-level requests replace the container totals for cpu and memory',
      spec: {
        containers: [c({ cpu: '100m', memory: '1Gi', 'ephemeral-storage': '1Gi' })],
        resources: { requests: { cpu: '2' }, limits: { memory: '2Gi' } },
      },
      want: { cpu: 2000, memory: 2 * Gi, 'ephemeral-storage': Gi, pods: 1 },
    },
  ];
  for (const { name, spec, want } of cases) {
    it(name, () => assert.deepEqual(podRequests({ spec }), want));
  }

  it('fills unset cpu and memory with the non-zero defaults, per container', () => {
    const spec: PodSpecResourcesLike = {
      containers: [c({ cpu: '300m' }), c()],
      initContainers: [c({ memory: '1Gi' })],
    };
    assert.deepEqual(podRequests({ spec }, { nonMissing: NON_ZERO_DEFAULTS }), {
      cpu: 400,
      memory: Gi,
      pods: 1,
    });
    // An explicit zero stays zero.
    assert.deepEqual(
      podRequests({ spec: { containers: [c({ cpu: '0' })] } }, { nonMissing: NON_ZERO_DEFAULTS }),
      {
        cpu: 0,
        memory: 200 * Mi,
        pods: 1,
      },
    );
  });

  it('can leave the overhead out', () => {
    const spec: PodSpecResourcesLike = { containers: [c({ cpu: '100m' })], overhead: { cpu: '1' } };
    assert.deepEqual(podRequests({ spec }, { excludeOverhead: true }), { cpu: 100, pods: 1 });
  });
});
