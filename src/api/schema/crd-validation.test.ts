import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../meta.js';
import { formatFieldIssue } from '../status.js';
import { crdDefaults } from './crd-defaults.js';
import { validateCustomResourceDefinition } from './crd-validation.js';
import { cloneJson } from '../../base/json-clone.js';

/** The Widget CRD of kube-api.md §14. */
function widgetCRD(): JsonObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: {
        plural: 'widgets',
        singular: 'widget',
        kind: 'Widget',
        listKind: 'WidgetList',
        shortNames: ['wd'],
      },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    replicas: { type: 'integer', minimum: 0, default: 1 },
                    image: { type: 'string' },
                  },
                  required: ['image'],
                },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
          subresources: {
            status: {},
            scale: {
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
              labelSelectorPath: '.status.selector',
            },
          },
          additionalPrinterColumns: [
            { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        },
      ],
      conversion: { strategy: 'None' },
    },
  };
}

type Edit = (crd: JsonObject) => void;
const spec = (crd: JsonObject): JsonObject => crd.spec as JsonObject;
const version = (crd: JsonObject, i = 0): JsonObject => (spec(crd).versions as JsonObject[])[i]!;
const schemaOf = (crd: JsonObject): JsonObject =>
  (version(crd).schema as JsonObject).openAPIV3Schema as JsonObject;
const specProps = (crd: JsonObject): JsonObject =>
  ((schemaOf(crd).properties as JsonObject).spec as JsonObject).properties as JsonObject;

const V = 'spec.versions[0]';
const S = `${V}.schema.openAPIV3Schema`;

describe('validateCustomResourceDefinition', () => {
  const cases: { name: string; edit: Edit; want: string[] }[] = [
    { name: 'valid widget CRD', edit: () => undefined, want: [] },
    {
      name: 'name must be plural.group',
      edit: (c) => ((c.metadata as JsonObject).name = 'widget.example.com'),
      want: ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group'],
    },
    {
      name: 'group needs a dot',
      edit: (c) => {
        spec(c).group = 'example';
        (c.metadata as JsonObject).name = 'widgets.example';
      },
      want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'],
    },
    {
      name: 'scope',
      edit: (c) => (spec(c).scope = 'Global'),
      want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
    },
    {
      name: 'exactly one storage version',
      edit: (c) => (version(c).storage = false),
      want: [
        `spec.versions: Invalid value: ${JSON.stringify(spec(widgetCRDWith((x) => (version(x).storage = false))).versions)}: must have exactly one version marked as storage version`,
      ],
    },
    {
      name: 'no versions',
      edit: (c) => (spec(c).versions = []),
      want: ['spec.versions: Invalid value: []: must have exactly one version marked as storage version'],
    },
    {
      name: 'schema required',
      edit: (c) => delete version(c).schema,
      want: [`${S}: Required value: schemas are required`],
    },
    {
      name: 'non-structural schema',
      edit: (c) => delete ((schemaOf(c).properties as JsonObject).spec as JsonObject).type,
      want: [`${S}.properties[spec].type: Required value: must not be empty for specified object fields`],
    },
    {
      name: 'invalid default',
      edit: (c) => ((specProps(c).replicas as JsonObject).default = -1),
      want: [
        `${S}.properties[spec].properties[replicas].default: Invalid value: -1:  in body should be greater than or equal to 0`,
      ],
    },
    {
      name: 'default with unknown fields',
      edit: (c) =>
        (specProps(c).obj = { type: 'object', properties: { a: { type: 'string' } }, default: { b: 1 } }),
      want: [
        `${S}.properties[spec].properties[obj].default: Invalid value: {"b":1}: must not have unknown fields`,
      ],
    },
    {
      name: 'defaults forbidden in top-level metadata, $ref unsupported',
      edit: (c) => {
        (schemaOf(c).properties as JsonObject).metadata = { type: 'object', default: {} };
        specProps(c).r = { $ref: '#/x' };
      },
      want: [
        `${S}.properties[spec].properties[r].$ref: Forbidden: $ref is not supported`,
        `${S}.properties[metadata].default: Forbidden: must not be set in top-level metadata`,
      ],
    },
    {
      name: 'status subresource restricts the root schema',
      edit: (c) => (schemaOf(c).minProperties = 1),
      want: [
        `${S}: Invalid value: ${JSON.stringify(schemaOf(widgetCRDWith((x) => (schemaOf(x).minProperties = 1))))}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled`,
      ],
    },
    {
      name: 'list-type map needs keys that are required or defaulted',
      edit: (c) =>
        (specProps(c).ports = {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', properties: { name: { type: 'string' } } },
        }),
      want: [
        `${S}.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
      ],
    },
    {
      name: 'scale paths',
      edit: (c) => {
        const scale = (version(c).subresources as JsonObject).scale as JsonObject;
        scale.specReplicasPath = '.status.replicas';
        scale.statusReplicasPath = 'status.replicas';
        delete scale.labelSelectorPath;
      },
      want: [
        `${V}.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec`,
        `${V}.subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .`,
      ],
    },
    {
      name: 'printer columns',
      edit: (c) =>
        (version(c).additionalPrinterColumns = [
          { name: '', type: 'timestamp', format: 'weird' },
          { name: 'X', jsonPath: '.a' },
        ]),
      want: [
        `${V}.additionalPrinterColumns[0].name: Required value`,
        `${V}.additionalPrinterColumns[0].type: Invalid value: "timestamp": must be one of boolean,date,integer,number,string`,
        `${V}.additionalPrinterColumns[0].format: Invalid value: "weird": must be one of byte,date,date-time,double,float,int32,int64,password`,
        `${V}.additionalPrinterColumns[0].JSONPath: Required value`,
        `${V}.additionalPrinterColumns[1].type: Required value: must be one of boolean,date,integer,number,string`,
      ],
    },
    {
      name: 'names',
      edit: (c) => {
        spec(c).names = {
          plural: 'Widgets',
          singular: 'widget',
          kind: 'Widget',
          listKind: 'Widget',
          shortNames: ['w_d'],
        };
        (c.metadata as JsonObject).name = 'Widgets.example.com';
      },
      want: [
        `metadata.name: Invalid value: "Widgets.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
        `spec.names.plural: Invalid value: "Widgets": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        `spec.names.shortNames[0]: Invalid value: "w_d": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
      ],
    },
    {
      name: 'webhook conversion is rejected',
      edit: (c) =>
        (spec(c).conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } }),
      want: ['spec.conversion.strategy: Unsupported value: "Webhook": supported values: "None"'],
    },
    {
      name: 'duplicate version names',
      edit: (c) => (spec(c).versions as JsonObject[]).push({ ...cloneJson(version(c)), storage: false }),
      want: [
        `spec.versions: Invalid value: ${JSON.stringify(spec(widgetCRDWith((x) => (spec(x).versions as JsonObject[]).push({ ...cloneJson(version(x)), storage: false }))).versions)}: must contain unique version names`,
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const crd = widgetCRDWith(c.edit);
      assert.deepEqual(validateCustomResourceDefinition(crd).map(formatFieldIssue), c.want);
    });
  }

  it('update: group and plural immutable; scope and kind once established', () => {
    const old = widgetCRD();
    old.status = { conditions: [{ type: 'Established', status: 'True' }] };
    const next = widgetCRDWith((c) => {
      spec(c).group = 'other.com';
      spec(c).scope = 'Cluster';
      (c.metadata as JsonObject).name = 'widgets.other.com';
    });
    assert.deepEqual(validateCustomResourceDefinition(next, old).map(formatFieldIssue), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.group: Invalid value: "other.com": field is immutable',
    ]);
    delete old.status;
    assert.deepEqual(validateCustomResourceDefinition(next, old).map(formatFieldIssue), [
      'spec.group: Invalid value: "other.com": field is immutable',
    ]);
  });
});

function widgetCRDWith(edit: Edit): JsonObject {
  const crd = widgetCRD();
  edit(crd);
  return crd;
}

describe('crdDefaults', () => {
  it('fills conversion, singular, listKind and storedVersions', () => {
    const crd = widgetCRDWith((c) => {
      delete spec(c).conversion;
      spec(c).names = { plural: 'widgets', kind: 'Widget' };
    });
    crdDefaults(crd);
    assert.deepEqual(spec(crd).conversion, { strategy: 'None' });
    assert.deepEqual(spec(crd).names, {
      plural: 'widgets',
      kind: 'Widget',
      singular: 'widget',
      listKind: 'WidgetList',
    });
    assert.deepEqual(crd.status, { storedVersions: ['v1'] });
    assert.deepEqual(validateCustomResourceDefinition(crd), []);
  });

  it('keeps explicit values', () => {
    const crd = widgetCRDWith(
      (c) => (spec(c).names = { plural: 'widgets', kind: 'Widget', singular: 'wid', listKind: 'Widgets' }),
    );
    crdDefaults(crd);
    assert.deepEqual(spec(crd).names, {
      plural: 'widgets',
      kind: 'Widget',
      singular: 'wid',
      listKind: 'Widgets',
    });
  });
});
