/** The member-cluster conformance suite against a simulated cluster in-process, on a fake clock. */
import { FakeClock } from '../../base/fake-clock.js';
import { noopLogger } from '../../base/logger.js';
import { ApiClient } from '../../client/api-client.js';
import { localTransport } from '../../client/local-transport.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { parseFleetSpec } from '../fleet/fleet-spec.js';
import { describeMemberConformance } from '../testing/member-conformance.js';
import { buildMember } from './member-profile.js';

/** Steps the fake clock in small increments, letting the event loop run between steps. */
async function pass(clock: FakeClock, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 100) {
    await clock.advance(Math.min(100, left));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

describeMemberConformance('in-process, fake clock', async () => {
  const clock = new FakeClock();
  const [spec] = parseFleetSpec({
    clusters: [{ name: 'conformance', nodePools: [{ name: 'pool', count: 3, cpu: '4', memory: '16Gi' }] }],
  }).clusters;
  if (!spec) throw new Error('no cluster spec');
  let seed = 1;
  const member = buildMember(spec, {
    store: new MemoryStore(),
    clock,
    log: noopLogger,
    events: true,
    // Deterministic jitter.
    random: () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646,
  });
  const stop = new AbortController();
  const running = member.cluster.start(stop.signal);
  await member.cluster.ready;
  return {
    client: new ApiClient(localTransport(member.cluster.server)),
    pass: (ms) => pass(clock, ms),
    setNodeDown: (name, down) => {
      member.nodes.setNodeDown(name, down);
      return Promise.resolve();
    },
    close: async () => {
      stop.abort();
      await running;
    },
  };
});
