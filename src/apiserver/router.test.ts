import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../api/status.js';
import { parseRoute } from './router.js';

describe('parseRoute', () => {
  it('splits core and group resource paths', () => {
    assert.deepEqual(parseRoute('/api/v1/namespaces/ns/configmaps/cm'), {
      type: 'resource',
      group: '',
      version: 'v1',
      namespace: 'ns',
      plural: 'configmaps',
      name: 'cm',
    });
    assert.deepEqual(parseRoute('/apis/apps/v1/namespaces/ns/deployments/web/scale'), {
      type: 'resource',
      group: 'apps',
      version: 'v1',
      namespace: 'ns',
      plural: 'deployments',
      name: 'web',
      subresource: 'scale',
    });
    assert.deepEqual(parseRoute('/apis/apps/v1/deployments'), {
      type: 'resource',
      group: 'apps',
      version: 'v1',
      plural: 'deployments',
    });
  });

  it('addresses a namespace and its subresources, not a collection inside it', () => {
    assert.deepEqual(parseRoute('/api/v1/namespaces/ns/finalize'), {
      type: 'resource',
      group: '',
      version: 'v1',
      plural: 'namespaces',
      name: 'ns',
      subresource: 'finalize',
    });
  });

  it('decodes escaped segments and ignores repeated slashes', () => {
    assert.deepEqual(parseRoute('/api/v1//namespaces/ns/configmaps/a%3Ab%2Fc'), {
      type: 'resource',
      group: '',
      version: 'v1',
      namespace: 'ns',
      plural: 'configmaps',
      name: 'a:b/c',
    });
  });

  it('answers 400 for a malformed escape', () => {
    assert.throws(
      () => parseRoute('/api/v1/namespaces/ns/configmaps/%zz'),
      (err: unknown) =>
        err instanceof StatusError && err.code === 400 && /%zz/.test(err.status.message ?? ''),
    );
  });

  it('recognises discovery paths and leaves the rest alone', () => {
    assert.deepEqual(parseRoute('/api'), { type: 'api-root' });
    assert.deepEqual(parseRoute('/apis'), { type: 'apis-root' });
    assert.deepEqual(parseRoute('/apis/apps'), { type: 'apis-group', group: 'apps' });
    assert.deepEqual(parseRoute('/apis/apps/v1'), { type: 'group-version', group: 'apps', version: 'v1' });
    assert.deepEqual(parseRoute('/version'), { type: 'other', path: '/version' });
    assert.deepEqual(parseRoute('/api/v1/a/b/c/d'), { type: 'other', path: '/api/v1/a/b/c/d' });
  });
});
