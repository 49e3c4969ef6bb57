/**
 * The registry of Kubernetes protobuf messages the hub decodes: every message reachable from the
 * kinds kubectl's typed commands send (`create namespace|configmap|secret|serviceaccount|
 * deployment|job|cronjob|service|role|clusterrole|rolebinding|clusterrolebinding|
 * poddisruptionbudget|ingress|quota`, `expose`, `run`), plus the option kinds.
 */
import { coreMessages } from './k8s-schema-core.js';
import {
  appsMessages,
  batchMessages,
  networkingMessages,
  policyMessages,
  rbacMessages,
} from './k8s-schema-groups.js';
import { metaMessages, runtimeMessages } from './k8s-schema-meta.js';
import { podMessages } from './k8s-schema-pod.js';
import { volumeMessages } from './k8s-schema-volumes.js';
import { SchemaRegistry } from './schema.js';

const KINDS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core.Namespace',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/Service': 'core.Service',
  'v1/Pod': 'core.Pod',
  'v1/PodTemplate': 'core.PodTemplate',
  'v1/ReplicationController': 'core.ReplicationController',
  'v1/PersistentVolumeClaim': 'core.PersistentVolumeClaim',
  'v1/ResourceQuota': 'core.ResourceQuota',
  'v1/LimitRange': 'core.LimitRange',
  'apps/v1/Deployment': 'apps.Deployment',
  'apps/v1/ReplicaSet': 'apps.ReplicaSet',
  'apps/v1/StatefulSet': 'apps.StatefulSet',
  'apps/v1/DaemonSet': 'apps.DaemonSet',
  'batch/v1/Job': 'batch.Job',
  'batch/v1/CronJob': 'batch.CronJob',
  'rbac.authorization.k8s.io/v1/Role': 'rbac.Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'rbac.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'rbac.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'rbac.ClusterRoleBinding',
  'policy/v1/PodDisruptionBudget': 'policy.PodDisruptionBudget',
  'networking.k8s.io/v1/Ingress': 'networking.Ingress',
  'networking.k8s.io/v1/IngressClass': 'networking.IngressClass',
  'networking.k8s.io/v1/NetworkPolicy': 'networking.NetworkPolicy',
  '*/DeleteOptions': 'meta.DeleteOptions',
  '*/CreateOptions': 'meta.CreateOptions',
  '*/UpdateOptions': 'meta.UpdateOptions',
  '*/PatchOptions': 'meta.PatchOptions',
};

/** The shared, fully resolved registry of built-in Kubernetes messages. Treat as read-only. */
export const k8sSchema: SchemaRegistry = new SchemaRegistry()
  .addPackage('meta', metaMessages)
  .addPackage('runtime', runtimeMessages)
  .addPackage('core', coreMessages)
  .addPackage('core', podMessages)
  .addPackage('core', volumeMessages)
  .addPackage('apps', appsMessages)
  .addPackage('batch', batchMessages)
  .addPackage('rbac', rbacMessages)
  .addPackage('policy', policyMessages)
  .addPackage('networking', networkingMessages)
  .addKinds(KINDS);
