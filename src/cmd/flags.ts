/**
 * Flag parsing shared by the commands: every bad value is a `UsageError` naming the flag.
 */
import { pino } from 'pino';
import type { Logger } from '../base/logger.js';

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
