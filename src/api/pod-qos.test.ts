import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { qosClass } from './pod-qos.js';
import type { ContainerResources } from './pod-qos.js';

const c = (requests?: Record<string, string>, limits?: Record<string, string>): ContainerResources => ({
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
});

describe('qosClass', () => {
  const cases: [string, ContainerResources[], string][] = [
    ['no resources', [{}, c()], 'BestEffort'],
    ['zero requests', [c({ cpu: '0' })], 'BestEffort'],
    ['requests only', [c({ cpu: '100m' })], 'Burstable'],
    ['limits equal requests', [c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], 'Guaranteed'],
    ['limits only (requests default to them)', [c(undefined, { cpu: '1', memory: '1Gi' })], 'Guaranteed'],
    ['limits above requests', [c({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], 'Burstable'],
    ['cpu limit only', [c(undefined, { cpu: '1' })], 'Burstable'],
    ['one container without limits', [c(undefined, { cpu: '1', memory: '1Gi' }), {}], 'Burstable'],
  ];
  for (const [name, containers, want] of cases) it(name, () => assert.equal(qosClass({ containers }), want));

  it('counts init containers', () => {
    assert.equal(qosClass({ initContainers: [c({ memory: '1Gi' })], containers: [{}] }), 'Burstable');
  });
});
