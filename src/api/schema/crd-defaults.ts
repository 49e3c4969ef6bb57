/**
 * Defaulting of an apiextensions.k8s.io/v1 CustomResourceDefinition (apiextensions v1
 * SetDefaults_*), applied before validation as kube does.
 */
import type { JsonObject } from '../meta.js';
import { isJsonObject } from '../meta.js';

/**
 * Fills CRD defaults in place: `spec.conversion` = `{strategy: None}` when absent,
 * `spec.names.singular` = lower-cased kind, `spec.names.listKind` = kind + `List`, port 443 on a
 * conversion webhook service, and `status.storedVersions` = [the storage version] when empty.
 * Leaves anything malformed alone for validation to report.
 */
export function crdDefaults(crd: JsonObject): void {
  const spec = crd.spec;
  if (!isJsonObject(spec)) return;
  if (spec.conversion === undefined) spec.conversion = { strategy: 'None' };
  const conversion = spec.conversion;
  if (isJsonObject(conversion)) {
    const service =
      isJsonObject(conversion.webhook) && isJsonObject(conversion.webhook.clientConfig)
        ? conversion.webhook.clientConfig.service
        : undefined;
    if (isJsonObject(service) && service.port === undefined) service.port = 443;
  }
  if (isJsonObject(spec.names)) defaultNames(spec.names);
  defaultStoredVersions(crd, spec);
}

function defaultStoredVersions(crd: JsonObject, spec: JsonObject): void {
  if (crd.status !== undefined && !isJsonObject(crd.status)) return;
  const status = crd.status ?? {};
  if (Array.isArray(status.storedVersions) && status.storedVersions.length > 0) return;
  const storage = Array.isArray(spec.versions)
    ? spec.versions.find((v) => isJsonObject(v) && v.storage === true && typeof v.name === 'string')
    : undefined;
  if (!isJsonObject(storage) || typeof storage.name !== 'string') return;
  status.storedVersions = [storage.name];
  crd.status = status;
}

function defaultNames(names: JsonObject): void {
  const kind = typeof names.kind === 'string' ? names.kind : '';
  if (kind === '') return;
  if (typeof names.singular !== 'string' || names.singular === '') names.singular = kind.toLowerCase();
  if (typeof names.listKind !== 'string' || names.listKind === '') names.listKind = `${kind}List`;
}
