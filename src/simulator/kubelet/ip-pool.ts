/**
 * Pod IPs of one node, from its podCIDR, the way CNI host-local IPAM hands them out: the network
 * address, the gateway (`.1`) and the broadcast address are never used; allocation continues
 * round-robin after the last address handed out, so a released IP is not reused at once; an IP
 * in use is never handed out twice.
 */

/** Thrown for a podCIDR that is not an IPv4 CIDR with room for pods. */
export class CidrError extends Error {
  override readonly name = 'CidrError';
}

/** Allocates and releases pod IPs of one IPv4 CIDR. */
export class IpPool {
  readonly #first: number;
  readonly #last: number;
  readonly #used = new Set<number>();
  #cursor: number;

  constructor(readonly cidr: string) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const bits = m ? Number(m[5]) : NaN;
    if (!m || octets.some((o) => o > 255) || !(bits >= 8 && bits <= 30))
      throw new CidrError(`podCIDR ${cidr} must be an IPv4 CIDR between /8 and /30`);
    const base = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - bits);
    const network = base - (base % size);
    this.#first = network + 2; // skip the network address and the gateway
    this.#last = network + size - 2; // skip the broadcast address
    this.#cursor = this.#last;
  }

  /** Addresses still free. */
  get free(): number {
    return this.#last - this.#first + 1 - this.#used.size;
  }

  /** The next free IP after the last one handed out, or undefined when the range is exhausted. */
  allocate(): string | undefined {
    const span = this.#last - this.#first + 1;
    if (this.#used.size >= span) return undefined;
    let n = this.#cursor;
    for (let i = 0; i < span; i++) {
      n = n >= this.#last ? this.#first : n + 1;
      if (!this.#used.has(n)) {
        this.#used.add(n);
        this.#cursor = n;
        return format(n);
      }
    }
    return undefined;
  }

  /** Marks `ip` as used (a pod found running after a restart); false when outside the range or taken. */
  reserve(ip: string): boolean {
    const n = parse(ip);
    if (n === undefined || n < this.#first || n > this.#last || this.#used.has(n)) return false;
    this.#used.add(n);
    return true;
  }

  /** Returns `ip` to the pool (no-op for unknown addresses). */
  release(ip: string): void {
    const n = parse(ip);
    if (n !== undefined) this.#used.delete(n);
  }

  /** The range as CNI reports it in errors: `10.244.1.1-10.244.1.254`. */
  get rangeText(): string {
    return `${format(this.#first - 1)}-${format(this.#last)}`;
  }
}

function parse(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    const o = Number(p);
    if (!Number.isInteger(o) || o < 0 || o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

function format(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
