import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaRegistry, parseFieldSpec } from './schema.js';

describe('parseFieldSpec', () => {
  it('parses scalars, pointers, repeated, maps, messages and inline embeds', () => {
    assert.deepEqual(parseFieldSpec('core', 'replicas:*int32'), {
      name: 'replicas',
      type: { kind: 'scalar', scalar: 'int32' },
      cardinality: 'single',
      pointer: true,
      inline: false,
    });
    assert.deepEqual(parseFieldSpec('core', 'containers:[]Container').type, {
      kind: 'message',
      message: 'core.Container',
    });
    assert.equal(parseFieldSpec('core', 'containers:[]Container').cardinality, 'repeated');
    assert.deepEqual(parseFieldSpec('core', 'limits:map[string]Quantity').type, {
      kind: 'special',
      special: 'Quantity',
    });
    assert.equal(parseFieldSpec('core', 'limits:map[string]Quantity').cardinality, 'map');
    assert.deepEqual(parseFieldSpec('apps', 'metadata:meta.ObjectMeta').type, {
      kind: 'message',
      message: 'meta.ObjectMeta',
    });
    const inline = parseFieldSpec('core', '(inline):LocalObjectReference');
    assert.equal(inline.inline, true);
    assert.equal(inline.name, '');
  });

  it('rejects malformed specs and duplicate messages', () => {
    assert.throws(() => parseFieldSpec('core', 'noType'), /name:type/);
    assert.throws(() => parseFieldSpec('core', 'x:[]'), /bad type/);
    const reg = new SchemaRegistry().addPackage('p', { A: { 1: 'a:string' } });
    assert.throws(() => reg.addPackage('p', { A: {} }), /defined twice/);
  });

  it('reports unresolved references', () => {
    const reg = new SchemaRegistry()
      .addPackage('p', { A: { 1: 'b:B' } })
      .addKinds({ 'v1/A': 'p.A', 'v1/C': 'p.C' });
    assert.deepEqual(reg.unresolved().sort(), ['p.A -> p.B', 'v1/C -> p.C']);
  });
});
