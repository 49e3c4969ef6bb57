/**
 * Node selection of a pod: `spec.nodeSelector` plus `affinity.nodeAffinity`
 * (component-helpers `nodeaffinity`). Required terms are ORed, the expressions and fields of one
 * term ANDed; a term with neither matches nothing. `matchExpressions` use In, NotIn, Exists,
 * DoesNotExist, Gt and Lt on node labels; `matchFields` use In and NotIn on `metadata.name` (how
 * DaemonSet pods pin their node). An expression kube would reject makes its term match nothing.
 */
import type { LabelOperator, LabelRequirement } from '../../api/labels/requirement.js';
import { matchesRequirement } from '../../api/labels/requirement.js';

/** A NodeSelectorRequirement on the wire. */
export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

/** A NodeSelectorTerm on the wire. */
export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

/** `spec.affinity.nodeAffinity` on the wire. */
export interface NodeAffinitySpec {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
  preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
}

/** What a node is matched against. */
export interface NodeIdentity {
  name: string;
  labels: Readonly<Record<string, string>>;
}

const OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

/** A compiled term: label requirements and `metadata.name` requirements; `never` when invalid or empty. */
interface CompiledTerm {
  readonly labels: readonly LabelRequirement[];
  readonly fields: readonly LabelRequirement[];
  readonly never: boolean;
}

/** A pod's compiled node selection (nodeSelector, required and preferred node affinity). */
export class PodNodeSelection {
  readonly #selector: readonly LabelRequirement[];
  readonly #required: readonly CompiledTerm[] | undefined;
  readonly #preferred: readonly { weight: number; term: CompiledTerm }[];
  /** Node names the required terms allow, when every term pins `metadata.name` In (kube's PreFilter). */
  readonly nodeNames: ReadonlySet<string> | undefined;

  constructor(
    nodeSelector: Readonly<Record<string, string>> | undefined,
    affinity: NodeAffinitySpec | undefined,
  ) {
    this.#selector = Object.entries(nodeSelector ?? {}).map(([key, value]) => ({
      key,
      operator: 'in' as const,
      values: [value],
    }));
    const terms = affinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    this.#required = terms?.map(compileTerm);
    this.#preferred = (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => ({
      weight: p.weight,
      term: compileTerm(p.preference),
    }));
    this.nodeNames = terms ? pinnedNames(terms) : undefined;
  }

  /** True when every node satisfies the required part (no nodeSelector, no required terms). */
  get matchesAll(): boolean {
    return this.#selector.length === 0 && this.#required === undefined;
  }

  /** True when the pod has preferred terms (otherwise its preference score is uniform). */
  get hasPreferences(): boolean {
    return this.#preferred.length > 0;
  }

  /** True when the node satisfies nodeSelector and the required terms. */
  matches(node: NodeIdentity): boolean {
    for (const r of this.#selector) if (!matchesRequirement(r, node.labels)) return false;
    if (this.#required === undefined) return true;
    for (const term of this.#required) if (termMatches(term, node)) return true;
    return false;
  }

  /** Sum of the weights of the preferred terms the node matches. */
  preferenceScore(node: NodeIdentity): number {
    let score = 0;
    for (const p of this.#preferred) if (p.weight !== 0 && termMatches(p.term, node)) score += p.weight;
    return score;
  }
}

function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length + fields.length === 0) return { labels: [], fields: [], never: true };
  const labels: LabelRequirement[] = [];
  const names: LabelRequirement[] = [];
  for (const e of expressions) {
    const r = requirement(e);
    if (!r) return { labels: [], fields: [], never: true };
    labels.push(r);
  }
  for (const f of fields) {
    const r = requirement(f);
    if (!r || f.key !== 'metadata.name' || (r.operator !== 'in' && r.operator !== 'notin'))
      return { labels: [], fields: [], never: true };
    names.push({ ...r, key: 'name' });
  }
  return { labels, fields: names, never: false };
}

function requirement(e: NodeSelectorRequirement): LabelRequirement | undefined {
  const operator = OPERATORS[e.operator];
  const values = e.values ?? [];
  if (operator === undefined) return undefined;
  if ((operator === 'in' || operator === 'notin') && values.length === 0) return undefined;
  if ((operator === 'exists' || operator === '!') && values.length > 0) return undefined;
  if ((operator === 'gt' || operator === 'lt') && values.length !== 1) return undefined;
  return { key: e.key, operator, values };
}

function termMatches(term: CompiledTerm, node: NodeIdentity): boolean {
  if (term.never) return false;
  for (const r of term.labels) if (!matchesRequirement(r, node.labels)) return false;
  if (term.fields.length > 0) {
    const fields = { name: node.name };
    for (const r of term.fields) if (!matchesRequirement(r, fields)) return false;
  }
  return true;
}

/**
 * The union over terms of the names each term pins with `metadata.name In` (intersected within a
 * term); undefined when some term pins no name (any node may match it).
 */
function pinnedNames(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const f of term.matchFields ?? []) {
      if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
      const values = new Set(f.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    if (names === undefined) return undefined;
    union ??= new Set();
    for (const n of names) union.add(n);
  }
  return union;
}
