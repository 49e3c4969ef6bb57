import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPullPolicy } from './container-run.js';
import { goDuration, imageInfo, normalizeImage, pulledMessage } from './images.js';

describe('images', () => {
  it('normalizes references as containerd reports them', () => {
    const cases: [string, string][] = [
      ['nginx', 'docker.io/library/nginx:latest'],
      ['nginx:1.27', 'docker.io/library/nginx:1.27'],
      ['bitnami/redis', 'docker.io/bitnami/redis:latest'],
      ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
      ['localhost:5000/app', 'localhost:5000/app:latest'],
      ['nginx@sha256:abc', 'docker.io/library/nginx@sha256:abc'],
    ];
    for (const [image, want] of cases) assert.equal(normalizeImage(image), want, image);
  });

  it('gives stable digests and sizes per image', () => {
    const a = imageInfo('nginx:1.27');
    assert.match(a.id, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(imageInfo('nginx:1.27'), a);
    assert.notEqual(imageInfo('nginx:1.26').id, a.id);
    assert.equal(
      pulledMessage('nginx:1.27', 1234),
      `Successfully pulled image "nginx:1.27" in 1.234s (1.234s including waiting). Image size: ${a.size} bytes.`,
    );
  });

  it("formats durations like Go's time.Duration", () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [832, '832ms'],
      [1200, '1.2s'],
      [10_000, '10s'],
      [90_000, '1m30s'],
      [300_000, '5m0s'],
      [3_725_500, '1h2m5.5s'],
    ];
    for (const [ms, want] of cases) assert.equal(goDuration(ms), want, String(ms));
  });

  it('defaults the pull policy from the tag', () => {
    assert.equal(defaultPullPolicy('nginx'), 'Always');
    assert.equal(defaultPullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultPullPolicy('nginx:1.27'), 'IfNotPresent');
    assert.equal(defaultPullPolicy('localhost:5000/app'), 'Always');
    assert.equal(defaultPullPolicy('nginx@sha256:abc'), 'IfNotPresent');
  });
});
