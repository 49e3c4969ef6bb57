import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TURN_BUDGET_MS, yieldTurn } from './turns.js';

function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a unit of work that never waits
  }
}

/** Runs `workers` units of 1 ms each, yielding after each one, for 20 budgets' worth of time. */
async function runUnits(workers: number, onUnit: (worker: number) => void): Promise<void> {
  const until = performance.now() + 20 * TURN_BUDGET_MS;
  await Promise.all(
    Array.from({ length: workers }, async (_, i) => {
      await yieldTurn();
      while (performance.now() < until) {
        busy(1);
        onUnit(i);
        await yieldTurn();
      }
    }),
  );
}

describe('yieldTurn', () => {
  it('waits at least one immediate', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await yieldTurn();
    assert.ok(ran);
  });

  it('lets the loop reach its timers once a turn has used its budget, however many units wait', async () => {
    const workers = 4 * TURN_BUDGET_MS; // of 1 ms each: four budgets' worth in every turn without one
    let units = 0;
    const unitsPerTimerTurn: number[] = [];
    let seen = 0;
    const timer = setInterval(() => {
      unitsPerTimerTurn.push(units - seen);
      seen = units;
    }, 1);
    await runUnits(workers, () => units++);
    clearInterval(timer);
    const most = Math.max(...unitsPerTimerTurn);
    assert.ok(unitsPerTimerTurn.length >= 5, `the timer ran ${unitsPerTimerTurn.length} times`);
    assert.ok(most < 2 * TURN_BUDGET_MS, `${most} units of 1 ms ran between two timer turns`);
  });

  it('serves the units first come, first served, so none starves', async () => {
    const workers = 4 * TURN_BUDGET_MS;
    const runs = new Array<number>(workers).fill(0);
    await runUnits(workers, (i) => (runs[i] = (runs[i] ?? 0) + 1));
    const starved = runs.filter((n) => n === 0).length;
    assert.equal(starved, 0, `${starved} of ${workers} units never ran`);
  });

  it('stops marking turns when nobody yields, so an idle process exits', () => {
    const module = fileURLToPath(new URL('./turns.ts', import.meta.url));
    const script = `import { yieldTurn } from ${JSON.stringify(module)}; for (let i = 0; i < 100; i++) await yieldTurn();`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 30_000,
      encoding: 'utf8',
    });
    assert.equal(child.signal, null, 'the process exited by itself');
    assert.equal(child.status, 0, child.stderr);
  });
});
