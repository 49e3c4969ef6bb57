/**
 * The pod admission defaults of a kube-apiserver with its default plugins:
 * - DefaultTolerationSeconds (create and update): pods that do not already tolerate them get
 *   `node.kubernetes.io/not-ready` and `node.kubernetes.io/unreachable` NoExecute tolerations,
 *   operator Exists, for 300 s (kube's --default-*-toleration-seconds), so the taint manager
 *   evicts them five minutes after their node fails.
 * - ServiceAccount (create): `spec.serviceAccountName` defaults to `default` and the deprecated
 *   `spec.serviceAccount` mirrors it, as the v1 API shows them. `automountServiceAccountToken`
 *   is left as the client set it. With `mountServiceAccountToken`, the projected
 *   `kube-api-access-<suffix>` volume and its mounts are added too (off by default: it costs
 *   memory per pod and nothing in the simulator reads it). The plugin does not check that the
 *   ServiceAccount exists (kube refuses the pod until it does).
 * Mirror pods (static pods of a kubelet) are left alone, as in kube.
 */
import { randomInt } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../apiserver/admission.js';

/** Options of `defaultPodAdmission`. */
export interface DefaultPodAdmissionOptions {
  /** tolerationSeconds of the not-ready toleration (default 300). */
  notReadyTolerationSeconds?: number;
  /** tolerationSeconds of the unreachable toleration (default 300). */
  unreachableTolerationSeconds?: number;
  /** Add the projected service-account token volume and mounts (default false). */
  mountServiceAccountToken?: boolean;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface Container {
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface PodSpec {
  tolerations?: Toleration[];
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; [k: string]: unknown }[];
  containers?: Container[];
  initContainers?: Container[];
}

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const MIRROR = 'kubernetes.io/config.mirror';
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** kube's utilrand alphabet (no vowels, no confusable digits). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** True when an existing toleration already covers `key` for NoExecute (kube's matching rule). */
function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  return tolerations.some(
    (t) => (t.key === key || (t.key ?? '') === '') && (t.effect === 'NoExecute' || (t.effect ?? '') === ''),
  );
}

function addDefaultTolerations(spec: PodSpec, options: DefaultPodAdmissionOptions): void {
  const tolerations = spec.tolerations ?? [];
  const added: Toleration[] = [];
  if (!tolerates(tolerations, NOT_READY))
    added.push({
      key: NOT_READY,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: options.notReadyTolerationSeconds ?? 300,
    });
  if (!tolerates(tolerations, UNREACHABLE))
    added.push({
      key: UNREACHABLE,
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: options.unreachableTolerationSeconds ?? 300,
    });
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

function randomSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)] ?? 'x';
  return s;
}

/** The projected token volume ServiceAccount admission adds (kube-api-access-<suffix>). */
function mountToken(spec: PodSpec): void {
  if (spec.automountServiceAccountToken === false) return;
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_PATH))) return;
  const name = `kube-api-access-${randomSuffix()}`;
  const sources = [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    {
      downwardAPI: {
        items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
      },
    },
  ];
  spec.volumes = [...(spec.volumes ?? []), { name, projected: { sources, defaultMode: 420 } }];
  for (const c of containers)
    c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: TOKEN_PATH }];
}

/** The DefaultTolerationSeconds and ServiceAccount admission defaults for Pods (see module doc). */
export function defaultPodAdmission(options: DefaultPodAdmissionOptions = {}): AdmissionPlugin {
  return {
    name: 'DefaultPodAdmission',
    handles: (info: ResourceInfo) => info.group === '' && info.kind === 'Pod',
    admit({ operation, object }: AdmissionAttributes): void {
      const pod: KubeObject = object;
      if (pod.metadata.annotations?.[MIRROR] !== undefined) return;
      const raw = pod['spec'];
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
      const spec = raw as PodSpec;
      addDefaultTolerations(spec, options);
      if (operation !== 'CREATE') return;
      const account = spec.serviceAccountName || spec.serviceAccount || 'default';
      spec.serviceAccountName = account;
      spec.serviceAccount = account;
      if (options.mountServiceAccountToken === true) mountToken(spec);
    },
  };
}
