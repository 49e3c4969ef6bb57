/**
 * Helpers of the benchmarks that run a hub with a simulated fleet: join every simulated cluster in
 * push mode and wait until the hub has them Ready, sample a process's RSS and CPU, poll until done.
 */
import { readFileSync } from 'node:fs';
import type { Cluster } from '../../src/api/flotilla/cluster.js';
import { isClusterReady } from '../../src/api/flotilla/cluster.js';
import type { ApiClient } from '../../src/client/api-client.js';
import { CLUSTERS } from '../../src/client/flotilla-resources.js';
import type { RunningSim } from '../../src/cmd/sim.js';

/**
 * Registers every cluster of `sim` with the hub (a Secret with the fleet's token and CA, a
 * push-mode Cluster labelled `labels(i)`) and waits until the hub reports them all Ready.
 */
export async function joinFleet(
  client: ApiClient,
  sim: RunningSim,
  labels: (i: number) => Record<string, string> = () => ({}),
): Promise<void> {
  const members = sim.fleet.members();
  await client.create(
    { apiVersion: 'v1', plural: 'namespaces' },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flotilla-system' } },
  );
  for (const [i, m] of members.entries()) {
    const name = m.cluster.name;
    await client.create(
      { apiVersion: 'v1', plural: 'secrets', namespace: 'flotilla-system' },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: 'flotilla-system' },
        data: { token: b64(sim.token), caBundle: b64(sim.caPem) },
      },
    );
    await client.create(CLUSTERS, {
      apiVersion: 'cluster.flotilla.io/v1alpha1',
      kind: 'Cluster',
      metadata: { name, labels: labels(i) },
      spec: {
        syncMode: 'Push',
        apiEndpoint: sim.clusterUrl(name),
        secretRef: { namespace: 'flotilla-system', name },
        region: m.cluster.spec.region,
      },
    });
  }
  await until(async () => {
    const list = await client.list<Cluster>(CLUSTERS);
    return list.items.filter(isClusterReady).length === members.length;
  }, 300_000);
}

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

/** Resolves once `check` answers true (polled every 200 ms); rejects after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`benchmark timed out after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Samples a process's RSS every second (peak) and reads its CPU time, from /proc. */
export function sampleProcess(pid: number): { peakRssMiB(): number; cpuSeconds(): number; stop(): void } {
  let peak = 0;
  const rss = (): void => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m?.[1]) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // gone
    }
  };
  const timer = setInterval(rss, 1000);
  return {
    peakRssMiB: () => (rss(), peak),
    cpuSeconds: () => {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return 0;
      }
    },
    stop: () => clearInterval(timer),
  };
}
