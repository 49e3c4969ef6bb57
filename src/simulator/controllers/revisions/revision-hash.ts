/**
 * The hashes kube's workload controllers put in ControllerRevision names and the
 * `controller-revision-hash` label: FNV over the revision's bytes, the 32-bit sum printed in
 * decimal, then each digit mapped through apimachinery's `rand.SafeEncodeString` alphabet (no
 * vowels, so no words). Our bytes are canonical JSON rather than Go's encoding, so the values
 * differ from a real cluster's, but their shape (`web-7b9c8f7d9`) and stability are the same.
 */
import type { JsonValue } from '../../../api/meta.js';
import { canonicalKey } from '../../../api/json-equal.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1 32-bit over `bytes`, continuing from `seed` (Go's `hash/fnv.New32`). */
export function fnv1(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = (Math.imul(h, FNV_PRIME) ^ b) >>> 0;
  return h;
}

/** FNV-1a 32-bit over `bytes`, continuing from `seed` (Go's `hash/fnv.New32a`). */
export function fnv1a(bytes: Uint8Array, seed = FNV_OFFSET): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, FNV_PRIME) >>> 0;
  return h;
}

/** apimachinery `rand.SafeEncodeString`: every byte mapped into a vowel-free alphabet. */
export function safeEncodeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length] ?? '';
  return out;
}

/** Canonical JSON text of a value (object keys sorted), the bytes revisions are hashed and compared by. */
export function canonicalJson(value: JsonValue): string {
  return canonicalKey(value);
}

/**
 * `history.HashControllerRevision` (StatefulSet): FNV-1 over the revision data, then the decimal
 * collision count when there is one.
 */
export function hashRevisionData(data: JsonValue, collisionCount: number | undefined): string {
  let h = fnv1(Buffer.from(canonicalJson(data), 'utf8'));
  if (collisionCount !== undefined) h = fnv1(Buffer.from(String(collisionCount), 'utf8'), h);
  return safeEncodeString(String(h));
}

/**
 * `controller.ComputeHash` (DaemonSet, Deployment): FNV-1a over the pod template, then the
 * collision count as 8 little-endian bytes when there is one.
 */
export function hashPodTemplate(template: JsonValue, collisionCount: number | undefined): string {
  let h = fnv1a(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv1a(bytes, h);
  }
  return safeEncodeString(String(h));
}
