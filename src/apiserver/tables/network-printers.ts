/** Printers for services, endpoints, endpointslices and ingresses. */
import type { KubeObject } from '../../api/meta.js';
import { formatLabels, get, int, list, listWithMore, loadBalancerIngress, str } from './fields.js';
import { age } from '../../api/human-duration.js';
import { ageColumn, column, nameColumn, wide, printer } from './printer.js';
import type { Printer } from './printer.js';

function externalIP(svc: KubeObject, type: string): string {
  const externalIPs = list(get(svc, 'spec', 'externalIPs')).map(str);
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(get(svc, 'status', 'loadBalancer'));
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(get(svc, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

/** `80/TCP`, or `80:30080/TCP` with a node port; joined by `,`. */
function servicePorts(svc: KubeObject): string {
  return list(get(svc, 'spec', 'ports'))
    .map((p) => {
      const port = int(get(p, 'port'));
      const protocol = str(get(p, 'protocol')) || 'TCP';
      const nodePort = int(get(p, 'nodePort'));
      return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
    })
    .join(',');
}

/** `services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR]. An unset type reads as ClusterIP. */
export const servicePrinter: Printer = printer(
  [
    nameColumn(),
    column('Type', 'string', 'How the service is exposed.'),
    column('Cluster-IP', 'string', 'The IP address of the service inside the cluster.'),
    column('External-IP', 'string', 'External addresses the service is reachable on.'),
    column('Port(s)', 'string', 'The ports the service exposes.'),
    ageColumn(),
    wide(column('Selector', 'string', 'Label selector for the pods that back the service.')),
  ],
  (o, now) => {
    const type = str(get(o, 'spec', 'type')) || 'ClusterIP';
    const clusterIP = str(get(o, 'spec', 'clusterIPs', 0)) || str(get(o, 'spec', 'clusterIP'));
    return [
      o.metadata.name ?? '',
      type,
      clusterIP || '<none>',
      externalIP(o, type),
      servicePorts(o) || '<none>',
      age(o.metadata.creationTimestamp, now),
      formatLabels(get(o, 'spec', 'selector')),
    ];
  },
);

/** `formatEndpoints`: up to three `ip:port` (or bare ip for port-less subsets), then `+ N more...`. */
function formatEndpoints(o: KubeObject): string {
  const subsets = list(o['subsets']);
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const addresses = list(get(ss, 'addresses')).map((a) => str(get(a, 'ip')));
    const ports = list(get(ss, 'ports'));
    if (ports.length === 0) all.push(...addresses);
    for (const p of ports) {
      const port = int(get(p, 'port'));
      all.push(...addresses.map((ip) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)));
    }
  }
  return listWithMore(all, 3, '');
}

/** `endpoints`: NAME ENDPOINTS AGE. */
export const endpointsPrinter: Printer = printer(
  [nameColumn(), column('Endpoints', 'string', 'The addresses and ports of the endpoints.'), ageColumn()],
  (o, now) => [o.metadata.name ?? '', formatEndpoints(o), age(o.metadata.creationTimestamp, now)],
);

/** `endpointslices.discovery.k8s.io`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
export const endpointSlicePrinter: Printer = printer(
  [
    nameColumn(),
    column('AddressType', 'string', 'The type of address carried by the slice.'),
    column('Ports', 'string', 'The ports exposed by the endpoints.'),
    column('Endpoints', 'string', 'The endpoint addresses.'),
    ageColumn(),
  ],
  (o, now) => {
    const ports = list(o['ports']).map((p) => {
      const port = get(p, 'port');
      const name = get(p, 'name');
      return typeof port === 'number' ? String(port) : typeof name === 'string' ? name : '*';
    });
    const addresses = list(o['endpoints']).flatMap((e) => list(get(e, 'addresses')).map(str));
    return [
      o.metadata.name ?? '',
      str(o['addressType']),
      listWithMore(ports, 3, '<unset>'),
      listWithMore(addresses, 3, '<unset>'),
      age(o.metadata.creationTimestamp, now),
    ];
  },
);

/** `formatHosts`: up to three rule hosts, `*` when none. */
function formatHosts(rules: unknown[]): string {
  const hosts: string[] = [];
  let more = false;
  for (const r of rules) {
    if (hosts.length === 3) more = true;
    const host = str(get(r, 'host'));
    if (!more && host) hosts.push(host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - 3} more...` : hosts.join(',');
}

/** `ingresses.networking.k8s.io`: NAME CLASS HOSTS ADDRESS PORTS AGE. */
export const ingressPrinter: Printer = printer(
  [
    nameColumn(),
    column('Class', 'string', 'The IngressClass that handles this ingress.'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  (o, now) => {
    const className = get(o, 'spec', 'ingressClassName');
    return [
      o.metadata.name ?? '',
      typeof className === 'string' ? className : '<none>',
      formatHosts(list(get(o, 'spec', 'rules'))),
      loadBalancerIngress(get(o, 'status', 'loadBalancer')),
      list(get(o, 'spec', 'tls')).length > 0 ? '80, 443' : '80',
      age(o.metadata.creationTimestamp, now),
    ];
  },
);
