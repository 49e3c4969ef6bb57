/**
 * What containerd reports about images and containers: fully qualified image references
 * (`nginx` → `docker.io/library/nginx:latest`), digests as image IDs, container IDs, and the
 * image-pull event texts of kubelet's image manager with Go's duration formatting.
 */
import { createHash, randomBytes } from 'node:crypto';

interface ImageInfo {
  ref: string;
  id: string;
  size: number;
}

const cache = new Map<string, ImageInfo>();

/** The normalized reference, digest image ID and (deterministic) size of image `image`. */
export function imageInfo(image: string): ImageInfo {
  let info = cache.get(image);
  if (!info) {
    const ref = normalizeImage(image);
    const repo = ref.replace(/[:@][^/]*$/, '');
    const digest = createHash('sha256').update(ref).digest();
    info = {
      ref,
      id: `${repo}@sha256:${digest.toString('hex')}`,
      // 10 MB to 200 MB, stable per image, as a real registry would report.
      size: 10_000_000 + (digest.readUInt32BE(0) % 190_000_000),
    };
    if (cache.size > 10_000) cache.clear();
    cache.set(image, info);
  }
  return info;
}

/** Docker's reference normalization: default registry `docker.io`, `library/` and tag `latest`. */
export function normalizeImage(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasRegistry) name = `docker.io/${slash < 0 ? `library/${name}` : name}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !name.includes('@')) name += ':latest';
  return name;
}

let pool = Buffer.alloc(0);
let offset = 0;

/** A fresh `containerd://<64 hex>` container ID (random bytes drawn in batches: one syscall per 256 IDs). */
export function newContainerId(): string {
  if (offset + 32 > pool.length) {
    pool = randomBytes(32 * 256);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 32);
  offset += 32;
  return `containerd://${id}`;
}

/** Go's `time.Duration.String()` of `ms` truncated to milliseconds: `1.2s`, `832ms`, `1m30s`. */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.floor(ms));
  if (whole === 0) return '0s';
  if (whole < 1000) return `${whole}ms`;
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const seconds = (whole % 60_000) / 1000;
  const sec = `${trimZeros(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${sec}`;
  if (minutes > 0) return `${minutes}m${sec}`;
  return sec;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** `Successfully pulled image "nginx" in 1.2s (1.2s including waiting). Image size: 123 bytes.` */
export function pulledMessage(image: string, pullMs: number): string {
  const d = goDuration(pullMs);
  return `Successfully pulled image "${image}" in ${d} (${d} including waiting). Image size: ${imageInfo(image).size} bytes.`;
}

/** `Container image "nginx:1.25" already present on machine`. */
export function presentMessage(image: string): string {
  return `Container image "${image}" already present on machine`;
}
