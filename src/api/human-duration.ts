/**
 * Durations and ages the way kube-apiserver renders them in `kubectl get` tables
 * (apimachinery `pkg/util/duration`): two significant units at most, coarsening as values grow.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * Formats `ms` like apimachinery's `HumanDuration`: `<invalid>` below -1s (clock skew of up to
 * 2s is tolerated as `0s`), then `59s`…`119s`, `2m`…`9m59s`, `10m`…`179m`, `3h`…`7h59m`, `8h`…`47h`,
 * `2d`…`7d23h`, `8d`…`729d`, `2y`…`7y364d`, then whole years.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) return withRest(`${minutes}m`, seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) return withRest(`${hours}h`, minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return withRest(`${days}d`, hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return withRest(`${years}y`, days % 365, 'd');
  return `${years}y`;
}

/** Formats `ms` like apimachinery's `ShortHumanDuration`: a single unit (`59s`, `1m`, `23h`, `364d`, `1y`). */
export function shortHumanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60) return `${seconds}s`;
  if (ms < HOUR) return `${Math.trunc(ms / MINUTE)}m`;
  if (ms < DAY) return `${Math.trunc(ms / HOUR)}h`;
  if (ms < YEAR) return `${Math.trunc(ms / DAY)}d`;
  return `${Math.trunc(ms / YEAR)}y`;
}

function withRest(major: string, rest: number, restUnit: string): string {
  return rest === 0 ? major : `${major}${rest}${restUnit}`;
}

/** Milliseconds since the epoch of Go's zero `time.Time` (`0001-01-01T00:00:00Z`). */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * Epoch milliseconds of an RFC 3339 timestamp, or `undefined` when it is absent, unparsable or
 * Go's zero time (what kube prints as `<unknown>`).
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || ms === GO_ZERO_TIME) return undefined;
  return ms;
}

/** `translateTimestampSince`: the age of `ts` at `now`, or `<unknown>` when unset. */
export function age(ts: unknown, now: number): string {
  const ms = parseTimestamp(ts);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}
