import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressPrinter,
  servicePrinter,
} from './network-printers.js';
import type { Printer } from './printer.js';
import { makeObject, row } from './testing/fixtures.js';
import type { JsonValue, KubeObject } from '../../api/meta.js';

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject =>
  makeObject(['v1', 'Service'], { name: 'web' }, { spec, status });

const cases: { name: string; printer: Printer; obj: KubeObject; want: Record<string, JsonValue> }[] = [
  {
    name: 'ClusterIP service with two ports',
    printer: servicePrinter,
    obj: svc({
      type: 'ClusterIP',
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      selector: { app: 'web', tier: 'front' },
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      ],
    }),
    want: {
      Type: 'ClusterIP',
      'Cluster-IP': '10.96.12.34',
      'External-IP': '<none>',
      'Port(s)': '80/TCP,53/UDP',
      Age: '10m',
      Selector: 'app=web,tier=front',
    },
  },
  {
    name: 'NodePort service, type and protocol defaulted',
    printer: servicePrinter,
    obj: svc({ type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ port: 443, nodePort: 30443 }] }),
    want: { Type: 'NodePort', 'Port(s)': '443:30443/TCP', Selector: '<none>' },
  },
  {
    name: 'pending LoadBalancer',
    printer: servicePrinter,
    obj: svc({
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      ports: [{ port: 80, protocol: 'TCP', nodePort: 31000 }],
    }),
    want: { 'External-IP': '<pending>' },
  },
  {
    name: 'LoadBalancer with ingress and external IPs',
    printer: servicePrinter,
    obj: svc(
      { type: 'LoadBalancer', clusterIP: '10.96.0.10', externalIPs: ['1.1.1.1'], ports: [] },
      { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }] } },
    ),
    want: { 'External-IP': '203.0.113.9,lb.example.com,1.1.1.1', 'Port(s)': '<none>' },
  },
  {
    name: 'headless service without type',
    printer: servicePrinter,
    obj: svc({ clusterIP: 'None', ports: [{ port: 5432 }] }),
    want: { Type: 'ClusterIP', 'Cluster-IP': 'None', 'Port(s)': '5432/TCP' },
  },
  {
    name: 'ExternalName service',
    printer: servicePrinter,
    obj: svc({ type: 'ExternalName', externalName: 'db.example.com' }),
    want: { 'Cluster-IP': '<none>', 'External-IP': 'db.example.com' },
  },
  {
    name: 'endpoints with more than three addresses',
    printer: endpointsPrinter,
    obj: makeObject(
      ['v1', 'Endpoints'],
      { name: 'web' },
      {
        subsets: [
          {
            addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: 'fd00::3' }],
            ports: [
              { port: 80, protocol: 'TCP' },
              { port: 443, protocol: 'TCP' },
            ],
          },
        ],
      },
    ),
    want: { Endpoints: '10.0.0.1:80,10.0.0.2:80,[fd00::3]:80 + 3 more...' },
  },
  {
    name: 'endpoints without subsets',
    printer: endpointsPrinter,
    obj: makeObject(['v1', 'Endpoints'], { name: 'none' }),
    want: { Endpoints: '<none>' },
  },
  {
    name: 'endpointslice',
    printer: endpointSlicePrinter,
    obj: makeObject(
      ['discovery.k8s.io/v1', 'EndpointSlice'],
      { name: 'web-abc12' },
      {
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics' }],
        endpoints: [{ addresses: ['10.244.1.7'] }, { addresses: ['10.244.2.8'] }],
      },
    ),
    want: { AddressType: 'IPv4', Ports: '8080,metrics', Endpoints: '10.244.1.7,10.244.2.8' },
  },
  {
    name: 'empty endpointslice',
    printer: endpointSlicePrinter,
    obj: makeObject(
      ['discovery.k8s.io/v1', 'EndpointSlice'],
      { name: 'empty' },
      { addressType: 'IPv4', endpoints: [] },
    ),
    want: { Ports: '<unset>', Endpoints: '<unset>' },
  },
  {
    name: 'ingress with TLS',
    printer: ingressPrinter,
    obj: makeObject(
      ['networking.k8s.io/v1', 'Ingress'],
      { name: 'web' },
      {
        spec: {
          ingressClassName: 'nginx',
          rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }],
          tls: [{ hosts: ['a.example.com'] }],
        },
        status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
      },
    ),
    want: { Class: 'nginx', Hosts: 'a.example.com,b.example.com', Address: '192.0.2.10', Ports: '80, 443' },
  },
  {
    name: 'ingress without hosts or class',
    printer: ingressPrinter,
    obj: makeObject(
      ['networking.k8s.io/v1', 'Ingress'],
      { name: 'catchall' },
      { spec: { defaultBackend: {} } },
    ),
    want: { Class: '<none>', Hosts: '*', Address: '', Ports: '80' },
  },
];

describe('network printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = row(c.printer, c.obj);
      for (const [col, want] of Object.entries(c.want)) assert.deepEqual(got[col], want, col);
    });
  }
});
