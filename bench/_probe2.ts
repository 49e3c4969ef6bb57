import { openStore, startServer, createNamespace, request, cmPath, configMap, now } from './lib/fixtures.js';
import { latencyStats } from './lib/report.js';
const o = openStore((process.argv[2] ?? 'sqlite') as 'sqlite');
const s = await startServer(o.store); await createNamespace(s, 'p');
for (const round of [0, 1, 2]) {
  const lat: number[] = [];
  const t0 = now();
  for (let i = 0; i < 5000; i++) { const b = Buffer.from(JSON.stringify(configMap('p', `c${round}-${i}`, i))); const t = now(); await request(s, 'POST', cmPath('p'), { body: b }); lat.push(now() - t); }
  const el = now() - t0;
  console.log(round, Math.round(5000 / el * 1000), latencyStats(lat), 'sum>2ms', lat.filter((v) => v > 2).reduce((a, b) => a + b, 0).toFixed(0), 'total', el.toFixed(0));
}
await o.dispose();
