/** Builders for the manifests the kubectl end-to-end tests apply. Plain JSON, Kubernetes field names. */

export interface ObjectOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A Namespace manifest. */
export function namespace(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A ConfigMap manifest. */
export function configMap(
  ns: string,
  name: string,
  options: ObjectOptions & { data?: Record<string, string> } = {},
): Record<string, unknown> {
  const { data, ...meta } = options;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns, ...meta },
    data: data ?? {},
  };
}

export interface ContainerSpec {
  name: string;
  image: string;
}

/** A Deployment manifest selecting `app: <name>`. */
export function deployment(
  ns: string,
  name: string,
  options: ObjectOptions & { replicas?: number; containers?: readonly ContainerSpec[] } = {},
): Record<string, unknown> {
  const { replicas, containers, ...meta } = options;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, ...meta },
    spec: {
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: containers ?? [{ name: 'web', image: 'nginx:1.25' }] },
      },
    },
  };
}

/** Version string usable in Kubernetes names: "1.27" -> "127". */
export function slug(version: string): string {
  return version.replace('.', '');
}
