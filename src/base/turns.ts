/**
 * Yielding to the event loop with a time budget per turn. Work in one process (the hub's
 * controllers, a simulated fleet's hundreds of controllers) yields between units with
 * `setImmediate`, so sockets get their turn; but Node runs every immediate queued before a turn's
 * check phase in that turn, so with hundreds of busy workers one turn lasts as long as all their
 * units together (a second and more under a burst), and a request on a socket waits that long
 * for each of the turns it needs.
 *
 * `yieldTurn` yields as `setImmediate` does and, once the current turn has run longer than
 * `TURN_BUDGET_MS`, yields again until a turn with budget left: the rest of that turn's units
 * step aside at the cost of an immediate each (about a microsecond), the loop reaches its I/O,
 * and they run in the turns after, oldest first. A marker immediate, armed only while someone
 * yields, notes when each turn's check phase starts.
 *
 * Invariants: a caller always waits at least one immediate; units run in the order of the turns
 * they yielded in, and every turn runs at least one of the oldest; when nobody yields the marker
 * disarms, so an idle process does not spin.
 */
import { setImmediate as nextImmediate } from 'node:timers/promises';

/**
 * How long the units run in one turn before the rest wait for the next one. A request needs a
 * few turns, so 50 ms keeps it well under the 200 ms a simulated cluster's API must answer in
 * under load; 20 ms cost the simulated fleet about 15% of its throughput in re-yields.
 */
export const TURN_BUDGET_MS = 50;

let turnStart = performance.now();
let turn = 0;
let armed = false;
let yieldedThisTurn = false;
/**
 * Units waiting to run, counted by the turn they yielded in. Turns only grow, so the Map's first
 * key (insertion order) is the oldest turn that still has waiting units.
 */
const waiting = new Map<number, number>();

function mark(): void {
  turn++;
  turnStart = performance.now();
  if (yieldedThisTurn) {
    yieldedThisTurn = false;
    setImmediate(mark);
  } else armed = false;
}

function arm(): void {
  yieldedThisTurn = true;
  if (armed) return;
  armed = true;
  setImmediate(mark);
}

/** Whether a unit that yielded in turn `since` may run now: budget left, and nobody older waits. */
function mayRun(since: number): boolean {
  return performance.now() - turnStart <= TURN_BUDGET_MS && waiting.keys().next().value === since;
}

/**
 * Lets the event loop turn; waits for a later turn while this one has used its budget, and
 * while units that yielded before this one still wait (first come, first served: the units a
 * turn ran yield again at once, and would otherwise go first in every turn after).
 */
export async function yieldTurn(): Promise<void> {
  const since = turn;
  waiting.set(since, (waiting.get(since) ?? 0) + 1);
  try {
    do {
      arm();
      await nextImmediate();
      // Each immediate's microtasks run to their end before the next immediate, so this check
      // sees the time every unit before it in this turn took.
    } while (!mayRun(since));
  } finally {
    const left = (waiting.get(since) ?? 1) - 1;
    if (left > 0) waiting.set(since, left);
    else waiting.delete(since);
  }
}
