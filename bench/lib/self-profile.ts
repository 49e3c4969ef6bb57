/**
 * A CPU profile of this benchmark process (where the simulated fleet runs) over one phase: with
 * FLOTILLA_BENCH_FLEET_PROFILE=FILE, `startSelfProfile()` starts it and the returned `stop()`
 * writes FILE (open it in Chrome DevTools); without it both do nothing.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Starts profiling this process; resolve the result to stop and write the profile. */
export async function startSelfProfile(): Promise<() => Promise<void>> {
  const file = process.env['FLOTILLA_BENCH_FLEET_PROFILE'];
  if (!file) return () => Promise.resolve();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
