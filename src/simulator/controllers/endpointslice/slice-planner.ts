/**
 * Which EndpointSlices to create, update and delete so that a Service's slices of one address
 * type hold exactly the desired endpoints (kube's reconcileByAddressType, reconcileByPortMapping
 * and finalize). Pure: it reads the cached slices and answers a plan.
 *
 * Like kube it keeps endpoints in the slice they are in, fills slices that change anyway before
 * touching unchanged ones, packs leftovers into the unchanged slice closest to full, never puts
 * more than `maxEndpointsPerSlice` in a slice, keeps one empty placeholder slice when there are
 * no endpoints, and turns a create plus a delete into an update of the slice to delete.
 */
import { jsonEqual } from '../../../api/json-equal.js';
import type { JsonValue } from '../../../api/meta.js';
import { endpointKey, endpointsEqual, newSlice, ownedBy, portMapKey, sliceLabels } from './slice-model.js';
import type { Endpoint, EndpointPort, EndpointSliceObject } from './slice-model.js';
import type { ServiceObject } from './service-pods.js';

/** The desired endpoints sharing one set of ports, by `endpointKey`. */
export interface DesiredGroup {
  ports: EndpointPort[];
  endpoints: Map<string, Endpoint>;
}

/** Writes that converge the slices. */
export interface SlicePlan {
  create: EndpointSliceObject[];
  update: EndpointSliceObject[];
  remove: EndpointSliceObject[];
}

/** What `planSlices` works from. */
export interface PlanInput {
  addressType: string;
  /** Cached slices of the Service with this address type (owned or not). */
  existing: readonly EndpointSliceObject[];
  /** Desired endpoints by port-map key; consumed. */
  desired: Map<string, DesiredGroup>;
  maxEndpointsPerSlice: number;
}

function labelsEqual(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  return jsonEqual(a ?? {}, b);
}

/**
 * A copy of a cached slice to write, sharing what it does not change (endpoints are replaced,
 * never mutated, so a shallow copy keeps the cache intact and avoids cloning large slices).
 */
function withChanges(
  slice: EndpointSliceObject,
  changes: { endpoints: Endpoint[]; labels: Record<string, string> },
): EndpointSliceObject {
  return { ...slice, metadata: { ...slice.metadata, labels: changes.labels }, endpoints: changes.endpoints };
}

/** Plans the writes for one address type of `svc`. */
export function planSlices(svc: ServiceObject, input: PlanInput): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  const byPorts = new Map<string, EndpointSliceObject[]>();
  for (const slice of input.existing) {
    if (!ownedBy(slice, svc)) {
      plan.remove.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    byPorts.set(key, [...(byPorts.get(key) ?? []), slice]);
  }
  for (const [key, group] of input.desired) {
    const part = planPortMapping(svc, { slices: byPorts.get(key) ?? [], group, input });
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.remove.push(...part.remove);
  }
  for (const [key, slices] of byPorts) if (!input.desired.has(key)) plan.remove.push(...slices);
  if (input.existing.length === plan.remove.length && plan.create.length === 0) {
    const placeholder = newSlice(svc, { addressType: input.addressType, ports: [] });
    const [only] = plan.remove;
    if (plan.remove.length === 1 && only !== undefined && samePlaceholder(only, placeholder))
      plan.remove = [];
    else plan.create.push(placeholder);
  }
  reuseDeleted(svc, plan);
  return plan;
}

function samePlaceholder(slice: EndpointSliceObject, placeholder: EndpointSliceObject): boolean {
  return (
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0 &&
    slice.addressType === placeholder.addressType &&
    labelsEqual(slice.metadata.labels, placeholder.metadata.labels ?? {}) &&
    jsonEqual(
      (slice.metadata.ownerReferences ?? []) as unknown as JsonValue,
      (placeholder.metadata.ownerReferences ?? []) as unknown as JsonValue,
    )
  );
}

/** kube's finalize: a slice about to be created takes the name of one about to be deleted. */
function reuseDeleted(svc: ServiceObject, plan: SlicePlan): void {
  for (let i = 0; i < plan.remove.length && plan.create.length > 0;) {
    const doomed = plan.remove[i];
    const fresh = plan.create[plan.create.length - 1];
    if (doomed && fresh && doomed.addressType === fresh.addressType && ownedBy(doomed, svc)) {
      fresh.metadata.name = doomed.metadata.name ?? '';
      plan.create.pop();
      plan.update.push(fresh);
      plan.remove.splice(i, 1);
    } else i++;
  }
}

function planPortMapping(
  svc: ServiceObject,
  ctx: { slices: readonly EndpointSliceObject[]; group: DesiredGroup; input: PlanInput },
): SlicePlan {
  const { slices, group, input } = ctx;
  const max = input.maxEndpointsPerSlice;
  const desired = group.endpoints;
  const labels = sliceLabels(svc);
  const updated = new Map<string, EndpointSliceObject>();
  const unchanged = new Map<string, EndpointSliceObject>();
  const remove: EndpointSliceObject[] = [];
  for (const slice of slices) {
    const name = slice.metadata.name ?? '';
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (want === undefined) continue;
      kept.push(want);
      if (!endpointsEqual(want, ep)) changed = true;
      desired.delete(key);
    }
    const relabel = !labelsEqual(slice.metadata.labels, labels);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) remove.push(slice);
      else updated.set(name, withChanges(slice, { endpoints: kept, labels }));
    } else if (relabel) updated.set(name, withChanges(slice, { endpoints: kept, labels }));
    else unchanged.set(name, slice);
  }
  const pending = [...desired.values()];
  desired.clear();
  let next = 0;
  const fill = (slice: EndpointSliceObject): void => {
    const eps = (slice.endpoints ??= []);
    while (next < pending.length && eps.length < max) eps.push(pending[next++] as Endpoint);
  };
  // Fill the slices that are written anyway, fullest first.
  const fullestFirst = [...updated.values()].sort(
    (a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0),
  );
  for (const slice of fullestFirst) fill(slice);
  const create: EndpointSliceObject[] = [];
  while (next < pending.length) {
    let target: EndpointSliceObject | undefined;
    const left = pending.length - next;
    if (left < max && unchanged.size > 0) {
      const fit = closestToFull([...unchanged.values()], left, max);
      if (fit) {
        target = withChanges(fit, {
          endpoints: [...(fit.endpoints ?? [])],
          labels: fit.metadata.labels ?? {},
        });
        unchanged.delete(fit.metadata.name ?? '');
        updated.set(fit.metadata.name ?? '', target);
      }
    }
    if (!target) {
      target = newSlice(svc, { addressType: input.addressType, ports: group.ports });
      create.push(target);
    }
    fill(target);
  }
  return { create, update: [...updated.values()], remove };
}

/** The slice that would be closest to full after taking `n` more endpoints (kube's getSliceToFill). */
function closestToFull(
  slices: readonly EndpointSliceObject[],
  n: number,
  max: number,
): EndpointSliceObject | undefined {
  let best: EndpointSliceObject | undefined;
  let bestDiff = max;
  for (const slice of slices) {
    const diff = max - (n + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < bestDiff) {
      bestDiff = diff;
      best = slice;
      if (diff === 0) break;
    }
  }
  return best;
}
