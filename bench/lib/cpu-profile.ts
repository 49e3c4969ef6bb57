/**
 * A CPU profile of this process over one phase of a benchmark (open FILE in Chrome DevTools): the
 * hub child profiles its measured phase with it, and the propagation benchmark its own process,
 * where the simulated fleet runs (FLOTILLA_BENCH_FLEET_PROFILE=FILE).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/**
 * Starts profiling this process; the returned function stops and writes `file` (through a
 * temporary file, so a reader polling for it sees it whole). Without `file` both do nothing.
 */
export async function startCpuProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${file}.tmp`, JSON.stringify(profile));
    renameSync(`${file}.tmp`, file);
    session.disconnect();
  };
}
