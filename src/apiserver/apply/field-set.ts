/**
 * An immutable set of field paths, the unit of ownership in server-side apply, with the FieldsV1
 * encoding kube stores in `metadata.managedFields[].fieldsV1`.
 *
 * A path is a member of the set when the set records it exactly; a node may also have members
 * below it without being one itself (`f:spec` holding `f:replicas`). FieldsV1 writes a member with
 * no children as `{}` and a member with children with a leading `".": {}`.
 */

import type { JsonObject } from '../../api/meta.js';
import { isJsonObject } from '../../api/meta.js';
import type { FieldPath, PathElement } from './path-element.js';
import {
  FieldsV1Error,
  comparePathElements,
  parsePathElement,
  serializePathElement,
} from './path-element.js';

interface Entry {
  readonly pe: PathElement;
  readonly member: boolean;
  readonly sub: FieldSet;
}

interface TrieNode {
  pe?: PathElement;
  member: boolean;
  children: Map<string, TrieNode>;
}

export class FieldSet {
  static readonly empty = new FieldSet(new Map());

  readonly #entries: ReadonlyMap<string, Entry>;

  private constructor(entries: ReadonlyMap<string, Entry>) {
    this.#entries = entries;
  }

  static #freeze(node: TrieNode): FieldSet {
    if (node.children.size === 0) return FieldSet.empty;
    const entries = new Map<string, Entry>();
    for (const [key, child] of node.children) {
      if (child.pe === undefined) continue;
      entries.set(key, { pe: child.pe, member: child.member, sub: FieldSet.#freeze(child) });
    }
    return new FieldSet(entries);
  }

  /** The set holding exactly `paths` (the empty path is ignored: the root is never owned). */
  static of(paths: Iterable<FieldPath>): FieldSet {
    // Built as a mutable trie and frozen once: inserting path by path with `with` would copy
    // every map on the way for each path.
    const root: TrieNode = { member: false, children: new Map() };
    for (const path of paths) {
      let node = root;
      for (let i = 0; i < path.length; i++) {
        const pe = path[i] as PathElement;
        const key = serializePathElement(pe);
        let child = node.children.get(key);
        if (!child) {
          child = { pe, member: false, children: new Map() };
          node.children.set(key, child);
        }
        if (i === path.length - 1) child.member = true;
        node = child;
      }
    }
    return FieldSet.#freeze(root);
  }

  /**
   * Decodes a FieldsV1 object. Throws `FieldsV1Error` on an unknown path element or a
   * non-object value.
   */
  static fromFieldsV1(doc: JsonObject): FieldSet {
    const entries = new Map<string, Entry>();
    for (const [key, value] of Object.entries(doc)) {
      if (key === '.') continue;
      if (!isJsonObject(value)) throw new FieldsV1Error(`value of ${JSON.stringify(key)} is not an object`);
      const pe = parsePathElement(key);
      const keys = Object.keys(value);
      const member = keys.length === 0 || '.' in value;
      const sub = FieldSet.fromFieldsV1(value);
      entries.set(serializePathElement(pe), { pe, member, sub });
    }
    return new FieldSet(entries);
  }

  /** FieldsV1 encoding, keys in kube's order (`.` first, then fields, keys, values, indices). */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    for (const [key, e] of this.#sorted()) {
      if (e.sub.isEmpty()) {
        out[key] = {};
      } else {
        const inner = e.sub.toFieldsV1();
        out[key] = e.member ? { '.': {}, ...inner } : inner;
      }
    }
    return out;
  }

  isEmpty(): boolean {
    return this.#entries.size === 0;
  }

  /**
   * The node for the serialised path element `key` directly below the root: whether it is a
   * member and the members below it. Undefined when the set has nothing at `key`.
   */
  child(key: string): { readonly member: boolean; readonly sub: FieldSet } | undefined {
    return this.#entries.get(key);
  }

  /** The nodes directly below the root, by serialised path element (unordered). */
  *children(): IterableIterator<[string, { readonly member: boolean; readonly sub: FieldSet }]> {
    yield* this.#entries;
  }

  /** True when `path` is a member. */
  has(path: FieldPath): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    const e = this.#entries.get(serializePathElement(head));
    if (e === undefined) return false;
    return rest.length === 0 ? e.member : e.sub.has(rest);
  }

  /** The members strictly below `path`, relative to it (empty when there are none). */
  under(path: FieldPath): FieldSet {
    const [head, ...rest] = path;
    if (head === undefined) return this;
    const e = this.#entries.get(serializePathElement(head));
    return e === undefined ? FieldSet.empty : e.sub.under(rest);
  }

  /** This set plus `path`. */
  with(path: FieldPath): FieldSet {
    const [head, ...rest] = path;
    if (head === undefined) return this;
    const key = serializePathElement(head);
    const prev = this.#entries.get(key);
    const entries = new Map(this.#entries);
    if (rest.length === 0) {
      entries.set(key, { pe: head, member: true, sub: prev?.sub ?? FieldSet.empty });
    } else {
      entries.set(key, {
        pe: head,
        member: prev?.member ?? false,
        sub: (prev?.sub ?? FieldSet.empty).with(rest),
      });
    }
    return new FieldSet(entries);
  }

  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const entries = new Map(this.#entries);
    for (const [key, o] of other.#entries) {
      const e = entries.get(key);
      entries.set(
        key,
        e === undefined ? o : { pe: e.pe, member: e.member || o.member, sub: e.sub.union(o.sub) },
      );
    }
    return new FieldSet(entries);
  }

  /** Members of this set that are not members of `other` (exact paths; children are kept). */
  difference(other: FieldSet): FieldSet {
    return this.#combine(
      other,
      (e, o) => e.member && !(o?.member ?? false),
      (e, o) => e.sub.difference(o.sub),
    );
  }

  /** Like `difference`, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const entries = new Map<string, Entry>();
    for (const [key, e] of this.#entries) {
      const o = other.#entries.get(key);
      if (o?.member) continue;
      const sub = o === undefined ? e.sub : e.sub.recursiveDifference(o.sub);
      if (e.member || !sub.isEmpty()) entries.set(key, { pe: e.pe, member: e.member, sub });
    }
    return new FieldSet(entries);
  }

  /** Members present in both sets. */
  intersection(other: FieldSet): FieldSet {
    const entries = new Map<string, Entry>();
    for (const [key, e] of this.#entries) {
      const o = other.#entries.get(key);
      if (o === undefined) continue;
      const member = e.member && o.member;
      const sub = e.sub.intersection(o.sub);
      if (member || !sub.isEmpty()) entries.set(key, { pe: e.pe, member, sub });
    }
    return new FieldSet(entries);
  }

  /**
   * Every member path, in kube's iteration order: at each level the members first, then the
   * children's members, each group sorted.
   */
  *paths(prefix: FieldPath = []): IterableIterator<FieldPath> {
    const sorted = this.#sorted();
    for (const [, e] of sorted) if (e.member) yield [...prefix, e.pe];
    for (const [, e] of sorted) if (!e.sub.isEmpty()) yield* e.sub.paths([...prefix, e.pe]);
  }

  /** Number of members. */
  get size(): number {
    let n = 0;
    for (const e of this.#entries.values()) n += (e.member ? 1 : 0) + e.sub.size;
    return n;
  }

  /** Same members. */
  equals(other: FieldSet): boolean {
    if (this.#entries.size !== other.#entries.size) return false;
    for (const [key, e] of this.#entries) {
      const o = other.#entries.get(key);
      if (o === undefined || o.member !== e.member || !e.sub.equals(o.sub)) return false;
    }
    return true;
  }

  #combine(
    other: FieldSet,
    member: (e: Entry, o: Entry | undefined) => boolean,
    sub: (e: Entry, o: Entry) => FieldSet,
  ): FieldSet {
    const entries = new Map<string, Entry>();
    for (const [key, e] of this.#entries) {
      const o = other.#entries.get(key);
      const m = member(e, o);
      const s = o === undefined ? e.sub : sub(e, o);
      if (m || !s.isEmpty()) entries.set(key, { pe: e.pe, member: m, sub: s });
    }
    return new FieldSet(entries);
  }

  #sorted(): [string, Entry][] {
    return [...this.#entries].sort(([, a], [, b]) => comparePathElements(a.pe, b.pe));
  }
}
