/**
 * Webster / Sainte-Laguë apportionment, as Karmada (>= v1.16) divides replicas: each next seat
 * goes to the party with the largest `votes / (2·seats + 1)`, compared exactly by integer
 * cross-multiplication. Equal priorities go to the party with fewer seats, then by name: ascending
 * when the FNV-1a 32-bit hash of the tie-break key (the template's UID) is even or the key is
 * empty, descending when it is odd.
 *
 * Runs in O(seats · log parties) with a binary heap; parties with no votes never win a seat.
 */
import { fnv1a32 } from '../../base/hash.js';

/** A party of the apportionment: a cluster and its weight. */
export interface Party {
  name: string;
  votes: number;
}

interface Seat {
  name: string;
  votes: number;
  seats: number;
}

/** `a.votes·(2·b.seats+1)` against `b.votes·(2·a.seats+1)`: > 0 when a's priority is larger. */
function comparePriority(a: Seat, b: Seat): number {
  const left = a.votes * (2 * b.seats + 1);
  const right = b.votes * (2 * a.seats + 1);
  if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left - right;
  const l = BigInt(a.votes) * BigInt(2 * b.seats + 1);
  const r = BigInt(b.votes) * BigInt(2 * a.seats + 1);
  return l === r ? 0 : l > r ? 1 : -1;
}

/**
 * Divides `seats` among `parties` by their votes (non-negative integers). The answer maps every
 * party's name to its seats (0 included). `tieBreakKey` is the template's UID.
 */
export function websterDivide(
  seats: number,
  parties: readonly Party[],
  tieBreakKey = '',
): Map<string, number> {
  const descending = tieBreakKey !== '' && (fnv1a32(tieBreakKey) & 1) === 1;
  // true when a should get the next seat before b
  const before = (a: Seat, b: Seat): boolean => {
    const byPriority = comparePriority(a, b);
    if (byPriority !== 0) return byPriority > 0;
    if (a.seats !== b.seats) return a.seats < b.seats;
    return descending ? a.name > b.name : a.name < b.name;
  };
  const heap: Seat[] = [];
  for (const p of parties) if (p.votes > 0) push(heap, { name: p.name, votes: p.votes, seats: 0 }, before);
  for (let i = 0; i < seats && heap.length > 0; i++) {
    const top = heap[0] as Seat;
    top.seats++;
    siftDown(heap, 0, before);
  }
  const out = new Map<string, number>();
  for (const p of parties) out.set(p.name, 0);
  for (const s of heap) out.set(s.name, s.seats);
  return out;
}

function push(heap: Seat[], seat: Seat, before: (a: Seat, b: Seat) => boolean): void {
  heap.push(seat);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i] as Seat, heap[parent] as Seat)) break;
    [heap[i], heap[parent]] = [heap[parent] as Seat, heap[i] as Seat];
    i = parent;
  }
}

function siftDown(heap: Seat[], start: number, before: (a: Seat, b: Seat) => boolean): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let best = i;
    if (l < heap.length && before(heap[l] as Seat, heap[best] as Seat)) best = l;
    if (r < heap.length && before(heap[r] as Seat, heap[best] as Seat)) best = r;
    if (best === i) return;
    [heap[i], heap[best]] = [heap[best] as Seat, heap[i] as Seat];
    i = best;
  }
}
