/**
 * Safe readers over untyped wire objects for the printers, plus the small formatting helpers
 * kube's printers share (label maps, label selectors, container names and images). Readers never
 * throw: a missing or mistyped value reads as the zero value of the wanted type, which is what a
 * Go printer sees for an unset field.
 */

/** The value at `path` below `v`, or `undefined` when any step is missing or not a container. */
export function get(v: unknown, ...path: (string | number)[]): unknown {
  let cur = v;
  for (const p of path) {
    if (typeof p === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[p];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[p];
    }
  }
  return cur;
}

/** `v` when it is a string, else `''`. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `v` truncated to an integer when it is a finite number, else `fallback` (0). */
export function int(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : fallback;
}

/** `v` when it is an array, else `[]`. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` when it is a plain object, else `{}`. */
export function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** An int-or-string value as Go's `IntOrString.String()` prints it (`undefined` when unset). */
export function intOrString(v: unknown): string | undefined {
  if (typeof v === 'number') return String(Math.trunc(v));
  if (typeof v === 'string') return v;
  return undefined;
}

/** A resource quantity as printed; quantities travel as canonical strings already. */
export function quantity(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** `labels.FormatLabels`: sorted `k=v` pairs joined by `,`, or `<none>`. */
export function formatLabels(v: unknown): string {
  const entries = Object.entries(record(v))
    .map(([k, val]) => `${k}=${str(val)}`)
    .sort();
  return entries.length === 0 ? '<none>' : entries.join(',');
}

/**
 * A `metav1.LabelSelector` as `labels.Selector.String()` renders it: requirements sorted by key,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; `''` for a nil or empty selector.
 */
export function selectorString(v: unknown): string {
  if (v === undefined || v === null) return '';
  const reqs: [string, string][] = [];
  for (const [k, val] of Object.entries(record(get(v, 'matchLabels')))) reqs.push([k, `${k}=${str(val)}`]);
  for (const e of list(get(v, 'matchExpressions'))) {
    const key = str(get(e, 'key'));
    const values = list(get(e, 'values')).map(str).sort().join(',');
    switch (str(get(e, 'operator'))) {
      case 'In':
        reqs.push([key, `${key} in (${values})`]);
        break;
      case 'NotIn':
        reqs.push([key, `${key} notin (${values})`]);
        break;
      case 'Exists':
        reqs.push([key, key]);
        break;
      case 'DoesNotExist':
        reqs.push([key, `!${key}`]);
        break;
      default:
        return '<invalid>';
    }
  }
  return reqs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => s)
    .join(',');
}

/** `metav1.FormatLabelSelector`: like `selectorString` but `<none>` when empty. */
export function formatLabelSelector(v: unknown): string {
  return selectorString(v) || '<none>';
}

/** `layoutContainerCells`: container names and images, each joined by `,`. */
export function containerCells(containers: unknown): [names: string, images: string] {
  const cs = list(containers);
  return [cs.map((c) => str(get(c, 'name'))).join(','), cs.map((c) => str(get(c, 'image'))).join(',')];
}

/** Comma-joined, sorted, de-duplicated load-balancer ingress IPs or hostnames (`''` when none). */
export function loadBalancerIngress(status: unknown): string {
  const set = new Set<string>();
  for (const ing of list(get(status, 'ingress'))) {
    const ip = str(get(ing, 'ip'));
    const host = str(get(ing, 'hostname'));
    if (ip) set.add(ip);
    else if (host) set.add(host);
  }
  return [...set].sort().join(',');
}

/** Joins up to `max` items, adding ` + N more...` like kube's `listWithMoreString`. */
export function listWithMore(items: readonly string[], max: number, empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}
