/**
 * The execution controller against an in-process member, with the work-status controller reporting
 * what the member holds: which member requests an apply costs, and that an object Flotilla does not
 * manage stays protected under conflictResolution Abort.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { FLOTILLA_VALIDATORS, flotillaCrds } from '../../src/api/flotilla/crds/index.js';
import { MANAGED_LABEL, WORK_ANNOTATION, workNamespace } from '../../src/api/flotilla/work.js';
import type { Work } from '../../src/api/flotilla/work.js';
import type { KubeObject } from '../../src/api/meta.js';
import { compiledInResources } from '../../src/apiserver/crd.js';
import type { CrdObject } from '../../src/apiserver/crd.js';
import { noopLogger } from '../../src/base/logger.js';
import { ApiClient } from '../../src/client/api-client.js';
import { CLUSTERS, WORKS } from '../../src/client/flotilla-resources.js';
import { localTransport } from '../../src/client/local-transport.js';
import { SharedInformers } from '../../src/client/shared-informers.js';
import { ExecutionController } from '../../src/controllers/execution/execution-controller.js';
import { WorkStatusController } from '../../src/controllers/work-status/work-status-controller.js';
import { eventually, newEnv, newMember } from './harness.js';

const CM = { apiVersion: 'v1', plural: 'configmaps', namespace: 'default' };
const NAMESPACES = { apiVersion: 'v1', plural: 'namespaces' };
const WORK_NS = workNamespace('m1');
const CM_PATH = '/api/v1/namespaces/default/configmaps/app';

type ConfigMap = KubeObject & { data?: Record<string, string> };

function manifest(data: Record<string, string>): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'app',
      namespace: 'default',
      labels: { [MANAGED_LABEL]: 'true' },
      annotations: { [WORK_ANNOTATION]: `${WORK_NS}/app` },
    },
    data,
  };
}

describe('ExecutionController', () => {
  it('applies an object the Work reports as Flotilla’s without reading it first, and still protects one replaced by an unmanaged copy', async (t) => {
    const hub = await newEnv(t, {
      resources: compiledInResources(flotillaCrds() as unknown as CrdObject[], FLOTILLA_VALIDATORS),
    });
    const requests: string[] = [];
    const { server: memberServer, members } = await newMember((req) => {
      if (req.query.get('watch') !== 'true') requests.push(`${req.method} ${req.path}`);
    });
    const memberUser = new ApiClient(localTransport(memberServer)); // the test's own requests, not counted
    const cluster = await hub.client.create<Cluster>(CLUSTERS, {
      apiVersion: 'cluster.flotilla.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name: 'm1' },
      spec: { syncMode: 'Push', secretRef: { namespace: 'flotilla-system', name: 'm1' } },
    });
    await hub.client.updateStatus(CLUSTERS, {
      ...cluster,
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterReady', message: '' }] },
    });
    await hub.client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: WORK_NS } });
    const informers = new SharedInformers({ client: hub.client, clock: hub.clock, log: noopLogger });
    void informers.start(hub.signal);
    const options = { client: hub.client, informers, members, clock: hub.clock, log: noopLogger };
    void new ExecutionController(options).start(hub.signal);
    void new WorkStatusController(options).start(hub.signal);

    const works = { ...WORKS, namespace: WORK_NS };
    await hub.client.create<Work>(works, {
      apiVersion: WORKS.apiVersion,
      kind: 'Work',
      metadata: { name: 'app', namespace: WORK_NS },
      spec: { workload: { manifests: [manifest({ v: '1' })] } },
    });
    const memberData = async (): Promise<string | undefined> => {
      try {
        return (await memberUser.get<ConfigMap>(CM, 'app')).data?.['v'];
      } catch {
        return undefined;
      }
    };
    const reported = async (): Promise<string | undefined> =>
      (await hub.client.get<Work>(works, 'app')).status?.manifestStatuses?.[0]?.health;
    await eventually(async () => (await memberData()) === '1' && (await reported()) === 'Healthy', {
      what: 'the first apply, reported on the Work',
    });
    assert.ok(requests.includes(`GET ${CM_PATH}`), 'the first apply read the member object first');

    const setData = async (v: string): Promise<void> => {
      await hub.client.patch(works, 'app', {
        body: { spec: { workload: { manifests: [manifest({ v })] } } },
        options: { type: 'merge' },
      });
    };
    requests.length = 0;
    await setData('2');
    await eventually(async () => (await memberData()) === '2', { what: 'the second apply' });
    assert.deepEqual(
      requests.filter((r) => r.endsWith(CM_PATH) && !r.startsWith('GET')),
      [`PATCH ${CM_PATH}`],
    );
    assert.ok(
      !requests.includes(`GET ${CM_PATH}`),
      `no read before an apply the Work reports as Flotilla's: ${requests.join(', ')}`,
    );

    // Someone replaces the object with one of their own: the report turns absent, and the next
    // apply reads the member first and leaves the object alone.
    await memberUser.delete(CM, 'app');
    await memberUser.create(CM, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app' },
      data: { v: 'theirs' },
    });
    await eventually(async () => (await reported()) === 'Unknown', { what: 'the object reported absent' });
    await setData('3');
    await eventually(
      async () =>
        /not managed by Flotilla/.test(
          (await hub.client.get<Work>(works, 'app')).status?.conditions?.find((c) => c.type === 'Applied')
            ?.message ?? '',
        ),
      { what: 'the conflict on the Work' },
    );
    assert.equal(await memberData(), 'theirs');
  });
});
