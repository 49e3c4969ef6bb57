import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.js';
import { claimingPolicy, pickPolicy } from './policy-match.js';
import type { PolicyObject } from './policy-match.js';
import type { ResourceSelector } from './policy.js';

const web: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { tier: 'front' } },
};
const policy = (
  name: string,
  selector: Partial<ResourceSelector>,
  o: { kind?: string; namespace?: string; priority?: number; preemption?: 'Always' } = {},
): PolicyObject => ({
  apiVersion: 'policy.flotilla.io/v1alpha1',
  kind: o.kind ?? 'PropagationPolicy',
  metadata: { name, ...(o.kind === 'ClusterPropagationPolicy' ? {} : { namespace: o.namespace ?? 'shop' }) },
  spec: {
    resourceSelectors: [{ apiVersion: 'apps/v1', kind: 'Deployment', ...selector }],
    ...(o.priority !== undefined ? { priority: o.priority } : {}),
    ...(o.preemption ? { preemption: o.preemption } : {}),
  },
});
const pick = (...policies: PolicyObject[]): string | undefined => pickPolicy(policies, web)?.metadata.name;

describe('pickPolicy', () => {
  it('prefers priority, then name over labels over kind, then the smaller name', () => {
    assert.equal(
      pick(policy('kind', {}), policy('labels', { labelSelector: { matchLabels: { tier: 'front' } } })),
      'labels',
    );
    assert.equal(
      pick(
        policy('labels', { labelSelector: { matchLabels: { tier: 'front' } } }),
        policy('name', { name: 'web' }),
      ),
      'name',
    );
    assert.equal(pick(policy('name', { name: 'web' }), policy('urgent', {}, { priority: 5 })), 'urgent');
    assert.equal(pick(policy('foo', {}), policy('bar', {})), 'bar');
  });

  it('prefers a namespace policy to a cluster-wide one, and ignores those that do not match', () => {
    assert.equal(
      pick(
        policy('cpp', { name: 'web' }, { kind: 'ClusterPropagationPolicy', priority: 9 }),
        policy('pp', {}),
      ),
      'pp',
    );
    assert.equal(pick(policy('cpp', {}, { kind: 'ClusterPropagationPolicy' })), 'cpp');
    assert.equal(pick(policy('elsewhere', {}, { namespace: 'other' })), undefined);
    assert.equal(pick(policy('other-name', { name: 'api' })), undefined);
    assert.equal(pick(policy('other-ns', { namespace: 'prod' })), undefined);
    assert.equal(pick(policy('no-labels', { labelSelector: { matchLabels: { tier: 'back' } } })), undefined);
  });
});

describe('claimingPolicy', () => {
  const held = (
    name: string,
    kind: 'PropagationPolicy' | 'ClusterPropagationPolicy' = 'PropagationPolicy',
  ) => (kind === 'PropagationPolicy' ? { kind, namespace: 'shop', name } : { kind, name });
  const claim = (h: ReturnType<typeof held> | undefined, ...policies: PolicyObject[]): string | undefined =>
    claimingPolicy(policies, web, h)?.metadata.name;

  it('keeps a claim unless a better policy preempts it', () => {
    const old = policy('old', {});
    assert.equal(claim(held('old'), old, policy('better', { name: 'web' }, { priority: 5 })), 'old');
    assert.equal(
      claim(held('old'), old, policy('better', { name: 'web' }, { priority: 5, preemption: 'Always' })),
      'better',
    );
    assert.equal(
      claim(
        held('old'),
        policy('old', {}, { priority: 9 }),
        policy('lower', { name: 'web' }, { priority: 1, preemption: 'Always' }),
      ),
      'old',
      'within one kind, preemption needs a higher priority',
    );
    const cpp = policy('cluster', {}, { kind: 'ClusterPropagationPolicy', priority: 100 });
    assert.equal(
      claim(held('cluster', 'ClusterPropagationPolicy'), cpp, policy('pp', {}, { preemption: 'Always' })),
      'pp',
    );
    assert.equal(claim(held('cluster', 'ClusterPropagationPolicy'), cpp, policy('pp', {})), 'cluster');
  });

  it('re-claims when the holder is gone or no longer selects the template', () => {
    assert.equal(claim(held('gone'), policy('other', {})), 'other');
    assert.equal(claim(held('narrow'), policy('narrow', { name: 'api' }), policy('other', {})), 'other');
    assert.equal(claim(undefined, policy('first', {})), 'first');
    assert.equal(claim(held('gone')), undefined);
  });
});
