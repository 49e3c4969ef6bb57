import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { customCell, customColumnsPrinter, defaultPrinter } from './custom-columns.js';
import { ago, makeObject, NOW, row } from './testing/fixtures.js';
import type { JsonValue } from '../../api/meta.js';
import type { PrinterColumn } from '../../api/resource-info.js';

const columns: PrinterColumn[] = [
  { name: 'Replicas', type: 'integer', priority: 0, jsonPath: '.spec.replicas' },
  {
    name: 'Ready',
    type: 'string',
    priority: 0,
    description: 'Ready condition',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  },
  { name: 'Weight', type: 'number', priority: 1, jsonPath: '.spec.weight' },
  { name: 'Paused', type: 'boolean', priority: 1, jsonPath: '.spec.paused' },
  { name: 'Last Sync', type: 'date', priority: 0, jsonPath: '.status.lastSyncTime' },
  { name: 'Region', type: 'string', priority: 0, format: 'hostname', jsonPath: '{.metadata.labels.region}' },
];

const widget = makeObject(
  ['example.com/v1', 'Widget'],
  { name: 'w1', labels: { region: 'eu' } },
  {
    spec: { replicas: 3, weight: 0.5, paused: false },
    status: {
      lastSyncTime: ago('2d3h'),
      conditions: [
        { type: 'Synced', status: 'False' },
        { type: 'Ready', status: 'True' },
      ],
    },
  },
);

describe('customColumnsPrinter', () => {
  const p = customColumnsPrinter(columns);

  it('defines Name then each printer column', () => {
    assert.deepEqual(p.columns[0], {
      ...p.columns[0],
      name: 'Name',
      type: 'string',
      format: 'name',
      priority: 0,
    });
    assert.deepEqual(
      p.columns.slice(1).map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Replicas', 'integer', '', 0],
        ['Ready', 'string', '', 0],
        ['Weight', 'number', '', 1],
        ['Paused', 'boolean', '', 1],
        ['Last Sync', 'date', '', 0],
        ['Region', 'string', 'hostname', 0],
      ],
    );
    assert.equal(p.columns[2]?.description, 'Ready condition');
    assert.equal(
      p.columns[1]?.description,
      'Custom resource definition column (in JSONPath format): .spec.replicas',
    );
  });

  it('renders typed cells, filter results and dates as ages', () => {
    assert.deepEqual(row(p, widget), {
      Name: 'w1',
      Replicas: 3,
      Ready: 'True',
      Weight: 0.5,
      Paused: false,
      'Last Sync': '2d3h',
      Region: 'eu',
    });
  });

  it('renders missing values as null', () => {
    const bare = makeObject(['example.com/v1', 'Widget'], { name: 'w2' });
    assert.deepEqual(printedCells(p, bare), ['w2', null, null, null, null, null, null]);
  });

  it('throws for an unparsable jsonPath', () => {
    assert.throws(
      () => customColumnsPrinter([{ name: 'X', type: 'string', priority: 0, jsonPath: '.a[' }]),
      /invalid JSONPath/,
    );
  });
});

function printedCells(p: ReturnType<typeof customColumnsPrinter>, obj: typeof widget): JsonValue[] {
  return p.print(obj, NOW).cells;
}

describe('customCell', () => {
  const cases: [PrinterColumn['type'], unknown, JsonValue][] = [
    ['integer', 3, 3],
    ['integer', 3.9, 3],
    ['integer', '3', null],
    ['number', 2, 2],
    ['number', 'x', null],
    ['boolean', true, true],
    ['boolean', 'true', null],
    ['string', 'x', 'x'],
    ['string', 5, '5'],
    ['string', true, 'true'],
    ['string', null, '<no value>'],
    ['string', { b: 1, a: [1, 'x'] }, '{"a":[1,"x"],"b":1}'],
    ['date', ago('5m'), '5m'],
    ['date', '2024-05-01T11:59:59.5Z', '0s'],
    ['date', 'yesterday', '<invalid>'],
    ['date', '', '<unknown>'],
    ['date', '0001-01-01T00:00:00Z', '<unknown>'],
    ['date', 42, null],
    ['integer', null, null],
  ];
  for (const [type, value, want] of cases) {
    it(`${type} ${JSON.stringify(value)} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(customCell(type, value, NOW), want);
    });
  }
});

describe('defaultPrinter', () => {
  it('prints Name and Created At as RFC 3339', () => {
    assert.deepEqual(
      defaultPrinter.columns.map((c) => [c.name, c.type, c.format]),
      [
        ['Name', 'string', 'name'],
        ['Created At', 'date', ''],
      ],
    );
    const role = makeObject(['rbac.authorization.k8s.io/v1', 'Role'], {
      name: 'r',
      creationTimestamp: '2024-04-01T10:00:00.123Z',
    });
    assert.deepEqual(defaultPrinter.print(role, NOW).cells, ['r', '2024-04-01T10:00:00Z']);
    const undated = makeObject(['v1', 'Thing'], { name: 't', creationTimestamp: '' });
    assert.deepEqual(defaultPrinter.print(undated, NOW).cells, ['t', '0001-01-01T00:00:00Z']);
  });
});
