/**
 * The `Events:` section of `flotilla describe`, as kubectl describe prints it: oldest first,
 * Type, Reason, Age (`3m (x4 over 10m)` for a repeated event), From, Message.
 */
import type { KubeObject } from '../api/meta.js';
import { ageOf } from './cells.js';
import { subTable } from './describe-format.js';
import type { PrintContext } from './style.js';

/** A core/v1 Event (the fields describe shows). */
export interface CoreEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** The `Events:` section (`Events:  <none>` when there are none). */
export function eventSection(events: readonly CoreEvent[], o: PrintContext): string {
  const sorted = [...events].sort((a, b) => lastSeen(a) - lastSeen(b));
  const rows = sorted.map((e) => [
    e.type === 'Warning' ? o.style.yellow(e.type) : (e.type ?? ''),
    e.reason ?? '',
    eventAge(e, o.now),
    e.source?.component || e.reportingComponent || '',
    (e.message ?? '').trim(),
  ]);
  return subTable('Events', { header: ['Type', 'Reason', 'Age', 'From', 'Message'], rows });
}

function when(e: CoreEvent): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
}

function lastSeen(e: CoreEvent): number {
  const ms = Date.parse(when(e) ?? '');
  return Number.isNaN(ms) ? 0 : ms;
}

function eventAge(e: CoreEvent, now: number): string {
  const last = ageOf(when(e), now);
  const count = e.count ?? 1;
  if (count <= 1 || !e.firstTimestamp) return last;
  return `${last} (x${count} over ${ageOf(e.firstTimestamp, now)})`;
}
