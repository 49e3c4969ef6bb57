/**
 * IPv4 addresses as unsigned 32-bit numbers and CIDR blocks, for the simulated clusters' service
 * and load-balancer address pools. Only IPv4: simulated clusters are single-stack, as most are.
 */

/** Parses a dotted quad (`10.96.0.1`); undefined for anything else (including IPv6). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    n = n * 256 + octet;
  }
  return n;
}

/** Formats an unsigned 32-bit number as a dotted quad. */
export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** True for text that parses as an IPv6 address (a colon and hex digits), for kube's family errors. */
export function looksLikeIpv6(text: string): boolean {
  return text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text);
}

/**
 * An IPv4 CIDR block and the addresses it hands out: every address but the network and
 * broadcast ones (kube's service IP range does the same), numbered by offset from 0.
 */
export class Ipv4Cidr {
  /** The canonical text, e.g. `10.96.0.0/16`. */
  readonly text: string;
  readonly #first: number;
  /** How many addresses can be handed out. */
  readonly size: number;

  /** Throws RangeError for text that is not an IPv4 CIDR with a prefix of /8 to /30. */
  constructor(cidr: string) {
    const [addr = '', bits = ''] = cidr.split('/');
    const ip = parseIpv4(addr);
    const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : Number.NaN;
    if (ip === undefined || !(prefix >= 8 && prefix <= 30))
      throw new RangeError(`invalid IPv4 CIDR ${JSON.stringify(cidr)} (want a.b.c.d/8 to /30)`);
    const blockSize = 2 ** (32 - prefix);
    const network = ip - (ip % blockSize);
    this.text = `${formatIpv4(network)}/${prefix}`;
    this.#first = network + 1;
    this.size = blockSize - 2;
  }

  /** The address at `offset` (0 = the first usable address). */
  at(offset: number): string {
    return formatIpv4(this.#first + offset);
  }

  /** The offset of `ip`, or undefined when it is not an address this block hands out. */
  offsetOf(ip: string): number | undefined {
    const n = parseIpv4(ip);
    if (n === undefined) return undefined;
    const offset = n - this.#first;
    return offset >= 0 && offset < this.size ? offset : undefined;
  }
}

/** An inclusive port range such as `30000-32767`. */
export class PortRange {
  readonly base: number;
  readonly size: number;
  /** `base-last`, as kube prints it in errors. */
  readonly text: string;

  /** Throws RangeError for text that is not `first-last` with 1 <= first <= last <= 65535. */
  constructor(range: string) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(range);
    const first = Number(m?.[1]);
    const last = Number(m?.[2]);
    if (!m || !(first >= 1 && first <= last && last <= 65535))
      throw new RangeError(`invalid port range ${JSON.stringify(range)} (want first-last)`);
    this.base = first;
    this.size = last - first + 1;
    this.text = `${first}-${last}`;
  }

  /** The offset of `port`, or undefined outside the range. */
  offsetOf(port: number): number | undefined {
    const offset = port - this.base;
    return Number.isInteger(offset) && offset >= 0 && offset < this.size ? offset : undefined;
  }
}
