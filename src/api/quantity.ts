/**
 * Kubernetes resource quantities (`k8s.io/apimachinery/pkg/api/resource`): `500m`, `2`, `1.5Gi`,
 * `128974848`, `129e6`, `123Mi`. Parsed to a plain number of base units (cores, bytes, pods);
 * exact for every quantity a manifest realistically carries.
 */

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** Thrown for text that is not a quantity. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
  constructor(readonly text: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  }
}

/** The value of `text` in base units; throws `QuantityError` when it is not a quantity. */
export function parseQuantity(text: string | number): number {
  if (typeof text === 'number') return text;
  const m = QUANTITY.exec(text.trim());
  if (!m) throw new QuantityError(text);
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** Like `parseQuantity`, but `undefined` (not an error) for absent or malformed values. */
export function quantityOrUndefined(text: unknown): number | undefined {
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  try {
    return parseQuantity(text);
  } catch {
    return undefined;
  }
}

/** CPU in whole millicores (rounded up, as the scheduler counts it). */
export function milliCpu(text: string | number): number {
  return Math.ceil(parseQuantity(text) * 1000 - 1e-9);
}

/**
 * A whole number of bytes as Kubernetes writes it canonically: the largest binary suffix that
 * divides it exactly (67108864 → "64Mi"), or the plain number.
 */
export function formatBytes(bytes: number): string {
  for (const [suffix, factor] of Object.entries(BINARY).sort((a, b) => b[1] - a[1]))
    if (bytes !== 0 && bytes % factor === 0) return `${bytes / factor}${suffix}`;
  return String(bytes);
}
