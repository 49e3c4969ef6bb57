/**
 * The fleet file (`flotilla sim --fleet FILE`) and the generated fleet of `--clusters N`.
 *
 * ```yaml
 * clusters:
 *   - name: eu-west-1
 *     region: eu-west
 *     zones: [eu-west-1a, eu-west-1b]
 *     provider: aws
 *     kubernetesVersion: v1.31.4
 *     labels: { tier: prod }
 *     nodePools:
 *       - { name: general, count: 3, cpu: "8", memory: 32Gi, pods: 110 }
 *       - { name: gpu, count: 1, cpu: "16", memory: 64Gi, labels: { gpu: "true" },
 *           taints: [{ key: gpu, value: "true", effect: NoSchedule }] }
 * ```
 * Parsing checks every field and reports problems with their path (`clusters[1].nodePools[0].cpu:
 * must be a quantity such as "4" or "500m"`); nothing is half-accepted.
 */
import { parseQuantity } from '../../api/quantity.js';
import { isDNS1123Label } from '../../api/validation/names.js';

/** A taint on every node of a pool. */
export interface TaintSpec {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Identical nodes. */
export interface NodePoolSpec {
  name: string;
  count: number;
  cpu: string;
  memory: string;
  pods: number;
  labels: Record<string, string>;
  taints: TaintSpec[];
}

/** One simulated cluster. */
export interface ClusterSpec {
  name: string;
  region: string;
  zones: string[];
  provider: string;
  kubernetesVersion: string;
  labels: Record<string, string>;
  nodePools: NodePoolSpec[];
}

/** The whole fleet. */
export interface FleetSpec {
  clusters: ClusterSpec[];
}

/** A fleet file that does not describe a valid fleet; `problems` are `path: reason` lines. */
export class FleetSpecError extends Error {
  override readonly name = 'FleetSpecError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid fleet: ${problems.join('; ')}`);
  }
}

export const DEFAULT_KUBERNETES_VERSION = 'v1.31.4';
const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
const VERSION = /^v1\.(\d+)\.(\d+)$/;

/** Checks a parsed fleet document (YAML or JSON) and fills defaults; throws `FleetSpecError`. */
export function parseFleetSpec(doc: unknown): FleetSpec {
  const problems: string[] = [];
  const root = asObject(doc, '', problems);
  const list = root['clusters'];
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('clusters: must list at least one cluster');
    throw new FleetSpecError(problems);
  }
  const clusters = list.map((c, i) => parseCluster(c, `clusters[${i}]`, problems));
  const seen = new Set<string>();
  clusters.forEach((c, i) => {
    if (seen.has(c.name)) problems.push(`clusters[${i}].name: duplicate cluster name "${c.name}"`);
    seen.add(c.name);
  });
  if (problems.length > 0) throw new FleetSpecError(problems);
  return { clusters };
}

function parseCluster(value: unknown, path: string, problems: string[]): ClusterSpec {
  const o = asObject(value, path, problems);
  const name = str(o, { path, key: 'name', problems });
  if (name !== '' && isDNS1123Label(name).length > 0)
    problems.push(`${path}.name: "${name}" must be a lowercase RFC 1123 label (a-z, 0-9, "-")`);
  const region = str(o, { path, key: 'region', problems, fallback: 'local' });
  const zones =
    o['zones'] === undefined ? [`${region}-a`] : stringList(o['zones'], `${path}.zones`, problems);
  const version = str(o, { path, key: 'kubernetesVersion', problems, fallback: DEFAULT_KUBERNETES_VERSION });
  if (!VERSION.test(version)) problems.push(`${path}.kubernetesVersion: "${version}" must look like v1.31.4`);
  const pools = o['nodePools'] ?? [{ name: 'default', count: 3 }];
  if (!Array.isArray(pools) || pools.length === 0)
    problems.push(`${path}.nodePools: must list at least one pool`);
  const nodePools = Array.isArray(pools)
    ? pools.map((p, i) => parsePool(p, `${path}.nodePools[${i}]`, problems))
    : [];
  return {
    name,
    region,
    zones: zones.length > 0 ? zones : [`${region}-a`],
    provider: str(o, { path, key: 'provider', problems, fallback: 'sim' }),
    kubernetesVersion: version,
    labels: stringMap(o['labels'], `${path}.labels`, problems),
    nodePools,
  };
}

function parsePool(value: unknown, path: string, problems: string[]): NodePoolSpec {
  const o = asObject(value, path, problems);
  const name = str(o, { path, key: 'name', problems, fallback: 'default' });
  if (isDNS1123Label(name).length > 0)
    problems.push(`${path}.name: "${name}" must be a lowercase RFC 1123 label`);
  return {
    name,
    count: int(o['count'] ?? 3, `${path}.count`, problems),
    cpu: quantity(o['cpu'] ?? '4', `${path}.cpu`, problems),
    memory: quantity(o['memory'] ?? '16Gi', `${path}.memory`, problems),
    pods: int(o['pods'] ?? 110, `${path}.pods`, problems),
    labels: stringMap(o['labels'], `${path}.labels`, problems),
    taints: (Array.isArray(o['taints']) ? o['taints'] : o['taints'] === undefined ? [] : [o['taints']]).map(
      (t, i) => parseTaint(t, `${path}.taints[${i}]`, problems),
    ),
  };
}

function parseTaint(value: unknown, path: string, problems: string[]): TaintSpec {
  const o = asObject(value, path, problems);
  const key = str(o, { path, key: 'key', problems });
  const effect = str(o, { path, key: 'effect', problems, fallback: 'NoSchedule' });
  if (!EFFECTS.has(effect))
    problems.push(`${path}.effect: must be NoSchedule, PreferNoSchedule or NoExecute`);
  const taint: TaintSpec = { key, effect: effect as TaintSpec['effect'] };
  if (o['value'] !== undefined) taint.value = str(o, { path, key: 'value', problems });
  return taint;
}

function asObject(value: unknown, path: string, problems: string[]): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  problems.push(`${path || '(root)'}: must be a mapping`);
  return {};
}

function str(
  o: Record<string, unknown>,
  at: { path: string; key: string; problems: string[]; fallback?: string },
): string {
  const v = o[at.key];
  if (v === undefined && at.fallback !== undefined) return at.fallback;
  if (typeof v === 'string' && v !== '') return v;
  at.problems.push(`${at.path}.${at.key}: ${v === undefined ? 'required' : 'must be a non-empty string'}`);
  return '';
}

function int(v: unknown, path: string, problems: string[]): number {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  problems.push(`${path}: must be a whole number >= 0`);
  return 0;
}

function quantity(v: unknown, path: string, problems: string[]): string {
  const text = typeof v === 'number' ? String(v) : v;
  try {
    if (typeof text === 'string' && parseQuantity(text) > 0) return text;
  } catch {
    // reported below
  }
  problems.push(`${path}: must be a positive quantity such as "4", "500m" or "16Gi"`);
  return '0';
}

function stringList(v: unknown, path: string, problems: string[]): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  problems.push(`${path}: must be a list of strings`);
  return [];
}

function stringMap(v: unknown, path: string, problems: string[]): Record<string, string> {
  if (v === undefined) return {};
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string') out[k] = x;
      else problems.push(`${path}.${k}: must be a string`);
    }
    return out;
  }
  problems.push(`${path}: must be a mapping of strings`);
  return {};
}

const REGIONS = [
  { region: 'us-east', provider: 'aws' },
  { region: 'us-west', provider: 'gcp' },
  { region: 'eu-west', provider: 'azure' },
] as const;
const SIZES = [
  { count: 3, cpu: '8', memory: '32Gi' },
  { count: 5, cpu: '16', memory: '64Gi' },
  { count: 2, cpu: '4', memory: '16Gi' },
] as const;

/**
 * `--clusters N`: N clusters spread round-robin over us-east, us-west and eu-west (one provider
 * each), named `<region>-<k>`, with three sizes in turn so that no region is all one size; N = 3
 * gives us-east-1 (3 nodes of 8 CPUs), us-west-1 (5 of 16) and eu-west-1 (2 of 4).
 */
export function generatedFleet(n: number, options: { nodesPerCluster?: number } = {}): FleetSpec {
  const clusters: ClusterSpec[] = [];
  for (let i = 0; i < n; i++) {
    const r = REGIONS[i % REGIONS.length] ?? REGIONS[0];
    const k = Math.floor(i / REGIONS.length) + 1;
    const size = SIZES[(i + k - 1) % SIZES.length] ?? SIZES[0];
    clusters.push({
      name: `${r.region}-${k}`,
      region: r.region,
      zones: [`${r.region}-${k}a`, `${r.region}-${k}b`],
      provider: r.provider,
      kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
      labels: {},
      nodePools: [
        {
          name: 'general',
          count: options.nodesPerCluster ?? size.count,
          cpu: size.cpu,
          memory: size.memory,
          pods: 110,
          labels: {},
          taints: [],
        },
      ],
    });
  }
  return { clusters };
}
