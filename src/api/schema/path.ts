/**
 * A field path kept as a mutable stack of segments while walking a value, rendered to a string
 * (`spec.items[2].name`) only when an issue or a pruned field is reported — walking stays free of
 * per-level string building.
 */
export class PathStack {
  readonly #segs: (string | number)[] = [];
  /** Field path of the walked value's root (`''` for an object's root, `…default` for defaults). */
  readonly #prefix: string;

  constructor(prefix = '') {
    this.#prefix = prefix;
  }

  push(seg: string | number): void {
    this.#segs.push(seg);
  }

  pop(): void {
    this.#segs.pop();
  }

  /** Depth below the root (0 at the root). */
  get depth(): number {
    return this.#segs.length;
  }

  /** The path relative to the walked root, as kube-openapi prints it in messages (`spec.replicas`). */
  relative(): string {
    let s = '';
    for (const seg of this.#segs) {
      if (typeof seg === 'number') s += `[${seg}]`;
      else s += s === '' ? seg : `.${seg}`;
    }
    return s;
  }

  /** The full field path: the prefix joined with the relative path (as `field.Path.Child` joins). */
  field(): string {
    const rel = this.relative();
    if (this.#prefix === '') return rel;
    return rel === '' ? this.#prefix : `${this.#prefix}.${rel}`;
  }

  /** Field path of child `key` of the current value, without pushing it. */
  fieldOf(key: string | number): string {
    this.push(key);
    const f = this.field();
    this.pop();
    return f;
  }
}
