/**
 * The member-cluster conformance suite against a simulated cluster over real HTTPS (the fleet's
 * listener, `/clusters/<name>`), with simulated time running 20 times faster than the wall clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from '../../src/base/clock.js';
import { noopLogger } from '../../src/base/logger.js';
import { ApiClient } from '../../src/client/api-client.js';
import { HttpsTransport } from '../../src/client/https-transport.js';
import { startSim } from '../../src/cmd/sim.js';
import { parseFleetSpec } from '../../src/simulator/fleet/fleet-spec.js';
import { describeMemberConformance } from '../../src/simulator/testing/member-conformance.js';

const SPEED = 20;

describeMemberConformance(`over HTTPS, clock x${SPEED}`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-sim-conformance-'));
  const spec = parseFleetSpec({
    clusters: [{ name: 'conformance', nodePools: [{ name: 'pool', count: 3, cpu: '4', memory: '16Gi' }] }],
  });
  const sim = await startSim({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    spec,
    storage: 'memory',
    log: noopLogger,
    clock: new ScaledClock(SPEED),
  });
  const client = new ApiClient(
    new HttpsTransport({ server: sim.clusterUrl('conformance'), caPem: sim.caPem, token: sim.token }),
  );
  return {
    client,
    pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms / SPEED)),
    setNodeDown: (name, down) => {
      sim.fleet.nodeFault('conformance', name, down ? 'down' : 'up');
      return Promise.resolve();
    },
    close: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
