/**
 * Flag parsing shared by the commands: every bad value is a `UsageError` naming the flag.
 */
import { pino } from 'pino';
import type { Logger } from '../base/logger.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap-growth.js';

/** Bad flags or arguments: reported in one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that could not do its work (e.g. a server it needs does not answer): one line, exit 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** `HOST:PORT` (IPv6 in brackets) of `--listen`. */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(text);
  if (!m?.[1] || m[2] === undefined) throw new UsageError(`--listen must be HOST:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`--listen port must be 0-65535, got ${port}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

/** A positive number of seconds given to `flag`. */
export function seconds(flag: string, text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a positive number of seconds, got "${text}"`);
  }
  return n;
}

/** A whole number given to `flag`. */
export function count(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, got "${text}"`);
  return Number(text);
}

/** `--heap-growth`'s value: a whole percentage 10–300, or 0 to leave the choice to V8. */
export function heapGrowthPercent(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || (n !== 0 && (n < 10 || n > 300)))
    throw new UsageError(
      `--heap-growth must be 0 (V8's choice) or a percentage from 10 to 300, got "${text}"`,
    );
  return n;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** `--log-level`'s value, checked. */
export function logLevel(text: string): string {
  if (!LOG_LEVELS.includes(text)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
  return text;
}

/** The process logger at `level`: pino to stderr, or appending to `file`. */
export function buildLogger(level: string, file?: string): Logger {
  return pino(
    { level: logLevel(level), base: { app: 'flotilla' } },
    pino.destination(file === undefined ? 2 : { dest: file, append: true, sync: false }),
  );
}

/** Flags `flotilla hub` and `flotilla up` share, for `util.parseArgs`. */
export const HUB_PROCESS_OPTIONS = {
  'data-dir': { type: 'string', default: '.flotilla' },
  listen: { type: 'string', default: '127.0.0.1:7443' },
  'log-level': { type: 'string', default: 'info' },
  'heap-growth': { type: 'string', default: String(DEFAULT_HEAP_GROWTH_PERCENT) },
  'cluster-probe-interval': { type: 'string', default: '10' },
  'cluster-grace-period': { type: 'string', default: '40' },
  'cluster-eviction-delay': { type: 'string', default: '60' },
  'rebalance-delay': { type: 'string', default: '30' },
  'rebalance-timeout': { type: 'string', default: '600' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The help line of `--heap-growth` (hub and up). */
export const HEAP_GROWTH_HELP = `  --heap-growth PCT     how far the heap may grow past its live data before a full garbage
                        collection, in percent: 10-300 (default ${DEFAULT_HEAP_GROWTH_PERCENT}; 0 = V8's choice)
`;

/** Their help lines for member health. */
export const CLUSTER_HEALTH_HELP = `  --cluster-probe-interval S  seconds between health probes of each member (default 10)
  --cluster-grace-period S    seconds a Ready member may fail probes before NotReady (default 40)
  --cluster-eviction-delay S  seconds a member stays NotReady/Unknown before workloads that do not
                              tolerate it move elsewhere (default 60; off = never)
  --rebalance-delay S         seconds a failed member must be healthy again before workloads with
                              failover.rebalanceOnRecovery move back to it (default 30)
  --rebalance-timeout S       seconds a rebalance's new copies have to become ready before it is
                              rolled back (default 600)
`;

/** The rebalancer's settings the `--rebalance-…` flags give. */
export function rebalanceOptions(values: { 'rebalance-delay': string; 'rebalance-timeout': string }): {
  recoveryDelayMs: number;
  timeoutMs: number;
} {
  return {
    recoveryDelayMs: seconds('--rebalance-delay', values['rebalance-delay']) * 1000,
    timeoutMs: seconds('--rebalance-timeout', values['rebalance-timeout']) * 1000,
  };
}

/** The cluster-status settings the `--cluster-…` flags give. */
export function clusterHealthOptions(values: {
  'cluster-probe-interval': string;
  'cluster-grace-period': string;
  'cluster-eviction-delay': string;
}): { probeIntervalMs: number; gracePeriodMs: number; evictionDelayMs?: number } {
  const eviction = values['cluster-eviction-delay'];
  return {
    probeIntervalMs: seconds('--cluster-probe-interval', values['cluster-probe-interval']) * 1000,
    gracePeriodMs: seconds('--cluster-grace-period', values['cluster-grace-period']) * 1000,
    ...(eviction === 'off' ? {} : { evictionDelayMs: seconds('--cluster-eviction-delay', eviction) * 1000 }),
  };
}
