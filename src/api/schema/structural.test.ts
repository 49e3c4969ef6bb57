import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../meta.js';
import { formatFieldIssue } from '../status.js';
import { isStructural } from './structural.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';

describe('isStructural', () => {
  const cases: { name: string; schema: JsonObject; want: string[] }[] = [
    {
      name: 'structural widget schema',
      schema: {
        type: 'object',
        properties: {
          metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
          spec: {
            type: 'object',
            properties: {
              replicas: { type: 'integer', default: 1 },
              port: { 'x-kubernetes-int-or-string': true },
            },
            anyOf: [{ required: ['replicas'] }, { properties: { replicas: { minimum: 1 } } }],
          },
          status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      want: [],
    },
    {
      name: 'missing types',
      schema: {
        properties: {
          spec: { properties: { list: { type: 'array' }, items: { type: 'array', items: {} } } },
        },
      },
      want: [
        `${P}.properties[spec].properties[items].items.type: Required value: must not be empty for specified array items`,
        `${P}.properties[spec].properties[list].items: Required value: must be specified`,
        `${P}.properties[spec].type: Required value: must not be empty for specified object fields`,
        `${P}.type: Required value: must not be empty at the root`,
      ],
    },
    {
      name: 'root must be an object without additionalProperties',
      schema: { type: 'array', items: { type: 'string' }, additionalProperties: { type: 'string' } },
      want: [
        `${P}.additionalProperties: Forbidden: must not be used at the root`,
        `${P}.type: Invalid value: "array": must be object at the root`,
      ],
    },
    {
      name: 'forbidden keywords inside junctors and incomplete junctors',
      schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
        allOf: [
          {
            properties: {
              spec: {
                type: 'object',
                description: 'd',
                default: {},
                nullable: true,
                properties: { b: { minLength: 1 } },
              },
              metadata: {},
            },
          },
        ],
      },
      want: [
        `${P}.allOf[0].properties[metadata]: Forbidden: must not be specified in a nested context`,
        `${P}.allOf[0].properties[spec].default: Forbidden: must be undefined to be structural`,
        `${P}.allOf[0].properties[spec].description: Forbidden: must be empty to be structural`,
        `${P}.allOf[0].properties[spec].nullable: Forbidden: must be false to be structural`,
        `${P}.allOf[0].properties[spec].type: Forbidden: must be empty to be structural`,
        `${P}.properties[metadata]: Required value: because it is defined in ${P}.allOf[0].properties[metadata]`,
        `${P}.properties[spec].properties[b]: Required value: because it is defined in ${P}.allOf[0].properties[spec].properties[b]`,
      ],
    },
    {
      name: 'metadata may restrict only name and generateName',
      schema: {
        type: 'object',
        properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } },
      },
      want: [
        `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      ],
    },
    {
      name: 'embedded resources',
      schema: {
        type: 'object',
        properties: {
          a: { 'x-kubernetes-embedded-resource': true },
          b: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { kind: { type: 'integer' } },
          },
          c: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
        },
      },
      want: [
        `${P}.properties[a].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
        `${P}.properties[a].type: Required value: must be object if x-kubernetes-embedded-resource is true`,
        `${P}.properties[b].properties[kind].type: Invalid value: "integer": must be string`,
        `${P}.properties[c].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
      ],
    },
    {
      name: 'int-or-string anyOf pattern is allowed',
      schema: {
        type: 'object',
        properties: {
          p: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
          q: {
            'x-kubernetes-int-or-string': true,
            allOf: [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }],
          },
        },
      },
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(isStructural(c.schema, P).map(formatFieldIssue), c.want);
    });
  }
});
