import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/status.js';
import type { ApiRequest } from '../request.js';
import { jsonResponse } from '../request.js';
import { ApiMetrics, countedHandle, requestLabels } from './metrics.js';

const request = (method: string, path: string, query = ''): ApiRequest => ({
  method,
  path,
  query: new URLSearchParams(query),
  headers: {},
  signal: new AbortController().signal,
});

async function count(
  metrics: ApiMetrics,
  labels: { verb: string; resource: string; code: string },
): Promise<number> {
  const metric = await metrics.requests.get();
  const hit = metric.values.find(
    (v) =>
      v.labels.verb === labels.verb && v.labels.resource === labels.resource && v.labels.code === labels.code,
  );
  return hit?.value ?? 0;
}

describe('requestLabels', () => {
  it("names requests with kube's verbs and the resource (subresource included)", () => {
    const path = '/apis/work.flotilla.io/v1alpha1/namespaces/default/resourcebindings';
    assert.deepEqual(requestLabels('GET', path, new URLSearchParams('watch=true')), {
      verb: 'watch',
      resource: 'resourcebindings',
    });
    assert.deepEqual(requestLabels('GET', path, new URLSearchParams()), {
      verb: 'list',
      resource: 'resourcebindings',
    });
    assert.deepEqual(requestLabels('PATCH', `${path}/web/status`, new URLSearchParams()), {
      verb: 'patch',
      resource: 'resourcebindings/status',
    });
    assert.deepEqual(requestLabels('DELETE', path, new URLSearchParams()), {
      verb: 'deletecollection',
      resource: 'resourcebindings',
    });
  });
});

describe('countedHandle', () => {
  it('counts in-process requests by verb, resource and the code answered or thrown', async () => {
    const metrics = new ApiMetrics();
    const handle = countedHandle(async (req: ApiRequest) => {
      await Promise.resolve();
      if (req.method === 'PUT') throw new StatusError({ code: 409, reason: 'Conflict', message: 'conflict' });
      return jsonResponse(201, {});
    }, metrics);
    await handle(request('POST', '/api/v1/namespaces/default/configmaps'));
    await handle(request('POST', '/api/v1/namespaces/default/configmaps'));
    await assert.rejects(handle(request('PUT', '/api/v1/namespaces/default/configmaps/a')), StatusError);
    assert.equal(await count(metrics, { verb: 'create', resource: 'configmaps', code: '201' }), 2);
    assert.equal(await count(metrics, { verb: 'update', resource: 'configmaps', code: '409' }), 1);
  });
});
