import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import { bindingTable, policyOf } from './binding-table.js';
import { AT_NOW, makeBinding } from './testing/fixtures.js';

describe('bindingTable', () => {
  const web = makeBinding();
  const crb: ResourceBinding = {
    ...makeBinding('ns-namespace'),
    kind: 'ClusterResourceBinding',
    metadata: {
      name: 'ns-namespace',
      creationTimestamp: web.metadata.creationTimestamp ?? '',
      labels: { 'clusterpropagationpolicy.flotilla.io/name': 'all' },
    },
    spec: {
      resource: { apiVersion: 'v1', kind: 'Namespace', name: 'ns' },
      clusters: [{ name: 'a' }, { name: 'b' }],
      schedulePriority: { priority: 7 },
    },
    status: {},
  };

  it('prints one namespace without a NAMESPACE column', () => {
    assert.equal(
      bindingTable([web], { ...AT_NOW, wide: false, namespaces: false }),
      [
        'NAME             SCHEDULED   CLUSTERS   FULLYAPPLIED   AGE',
        'web-deployment   True        a:4,b:2    False          5m',
        '',
      ].join('\n'),
    );
  });

  it('prints every namespace, cluster-scoped bindings and the wide columns', () => {
    assert.equal(
      bindingTable([web, crb], { ...AT_NOW, wide: true, namespaces: true }),
      [
        'NAMESPACE   NAME             SCHEDULED   CLUSTERS   FULLYAPPLIED   AGE   RESOURCE         POLICY                         PRIORITY',
        'default     web-deployment   True        a:4,b:2    False          5m    Deployment/web   PropagationPolicy/web          0',
        '<none>      ns-namespace     Unknown     a,b        Unknown        5m    Namespace/ns     ClusterPropagationPolicy/all   7',
        '',
      ].join('\n'),
    );
  });

  it('names no policy for a binding without claim labels', () => {
    assert.equal(policyOf({ ...web, metadata: { name: 'x' } }), '<none>');
  });
});
