/**
 * The `pod-template-hash` of a Deployment's pod template (kube's `controller.ComputeHash`): FNV-1a
 * 32-bit over the template (+ the collision count as 8 little-endian bytes), printed in decimal and
 * then mapped character by character onto `rand.SafeEncodeString`'s alphabet, which has no vowels
 * and no look-alike characters. Kube hashes a Go-specific dump of the struct; this hashes the
 * template's canonical JSON (keys sorted), so values are stable and of the same shape
 * (e.g. `7d4b9c5f8`), though not byte-identical to a real cluster's.
 */
import type { PodTemplate } from './types.js';
import { POD_TEMPLATE_HASH_LABEL } from './types.js';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The hash label value for `template` and the Deployment's `status.collisionCount`. */
export function computeHash(template: PodTemplate, collisionCount?: number): string {
  let h = fnv1a(FNV_OFFSET, new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(h, bytes);
  }
  return safeEncode(String(h));
}

/** Maps each character's code onto the safe alphabet (rand.SafeEncodeString). */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++)
    out += SAFE_ALPHABET.charAt(text.charCodeAt(i) % SAFE_ALPHABET.length);
  return out;
}

/**
 * Template equality ignoring the `pod-template-hash` label (deploymentutil.EqualIgnoreHash), with
 * JSON semantics where empty maps and lists equal absent ones, as Go's semantic equality does for
 * nil vs empty.
 */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  return comparable(a) === comparable(b);
}

// Templates usually come from informer caches, whose objects never change: remember their form.
const comparableForms = new WeakMap<PodTemplate, string>();

function comparable(t: PodTemplate): string {
  let form = comparableForms.get(t);
  if (form === undefined) {
    form = canonicalJson(withoutHash(t));
    comparableForms.set(t, form);
  }
  return form;
}

function withoutHash(t: PodTemplate): PodTemplate {
  const labels = t.metadata?.labels;
  if (labels === undefined || !(POD_TEMPLATE_HASH_LABEL in labels)) return t;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

function fnv1a(seed: number, bytes: Uint8Array): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h >>> 0;
}

/** JSON with sorted keys; null, undefined, empty objects and empty arrays are dropped. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value) ?? null);
}

function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}
