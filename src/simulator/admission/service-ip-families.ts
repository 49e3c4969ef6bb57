/**
 * The IP-family fields of a Service (`ipFamilyPolicy`, `ipFamilies`) on a single-stack IPv4
 * cluster, and the checks kube-apiserver makes on `clusterIP`/`clusterIPs` before allocating
 * (ValidateServiceClusterIPsRelatedFields, initIPFamilyFields, validateUpgradeDowngradeClusterIPs),
 * with kube's field paths and messages.
 */
import type { FieldIssue } from '../../api/status.js';
import { looksLikeIpv6, parseIpv4 } from './ipv4.js';
import {
  CLUSTER_IP_NONE,
  goInvalid,
  goStringSlice,
  hasSelector,
  isHeadless,
  needsClusterIP,
} from './service-spec.js';
import type { ServiceSpec } from './service-spec.js';

const POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const FAMILIES = ['IPv4', 'IPv6'];
const BAD_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function familyOf(ip: string): 'IPv4' | 'IPv6' | undefined {
  if (parseIpv4(ip) !== undefined) return 'IPv4';
  return looksLikeIpv6(ip) ? 'IPv6' : undefined;
}

/** Shape checks of clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy on their own. */
function relatedFieldIssues(spec: ServiceSpec): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const ips = spec.clusterIPs ?? [];
  const shown = goStringSlice(spec.clusterIPs);
  if ((spec.clusterIP ?? '') !== '') {
    if (ips.length === 0) issues.push({ field: 'spec.clusterIPs', type: 'FieldValueRequired', detail: '' });
    else if (ips[0] !== spec.clusterIP)
      issues.push(goInvalid('spec.clusterIPs', shown, 'first value must match `clusterIP`'));
  } else if (ips.length > 0) {
    issues.push(goInvalid('spec.clusterIPs', shown, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((family, i) => {
    const field = `spec.ipFamilies[${i}]`;
    if (!FAMILIES.includes(family))
      issues.push({ field, type: 'FieldValueNotSupported', detail: '', value: family, supported: FAMILIES });
    if (seen.has(family)) issues.push({ field, type: 'FieldValueDuplicate', detail: '', value: family });
    seen.add(family);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && !POLICIES.includes(policy)) {
    issues.push({
      field: 'spec.ipFamilyPolicy',
      type: 'FieldValueNotSupported',
      detail: '',
      value: policy,
      supported: POLICIES,
    });
  }
  let badIp = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === CLUSTER_IP_NONE) {
      if (ips.length > 1) {
        badIp = true;
        issues.push(goInvalid('spec.clusterIPs', shown, "'None' must be the first and only value"));
      }
      return;
    }
    if (familyOf(ip) === undefined) {
      badIp = true;
      issues.push({ field: `spec.clusterIPs[${i}]`, type: 'FieldValueInvalid', value: ip, detail: BAD_IP });
    }
  });
  if (ips.length > 2) issues.push(goInvalid('spec.clusterIPs', shown, 'may only hold up to 2 values'));
  if (badIp) return issues;
  if (ips.length === 2 && familyOf(ips[0] ?? '') === familyOf(ips[1] ?? ''))
    issues.push(goInvalid('spec.clusterIPs', shown, 'may specify no more than one IP for each IP family'));
  if (!isHeadless(spec)) {
    ips.forEach((ip, i) => {
      const want = spec.ipFamilies?.[i];
      if (want !== undefined && FAMILIES.includes(want) && familyOf(ip) !== want) {
        const detail = `expected an ${want} value as indicated by \`ipFamilies[${i}]\``;
        issues.push({ field: `spec.clusterIPs[${i}]`, type: 'FieldValueInvalid', value: ip, detail });
      }
    });
  }
  return issues;
}

/**
 * Defaults `ipFamilyPolicy` and `ipFamilies` as kube-apiserver does on a single-stack IPv4
 * cluster and answers the problems found (empty = fine). Headless Services without a selector
 * default to RequireDualStack with both families, as in kube. `old` is the stored Service of an
 * update. ExternalName Services are left alone.
 */
export function initIpFamilyFields(spec: ServiceSpec, old: ServiceSpec | undefined): FieldIssue[] {
  if (!needsClusterIP(spec)) return [];
  if (spec.ipFamilyPolicy === undefined) {
    if (old?.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = old.ipFamilyPolicy;
    else if (spec.clusterIP === CLUSTER_IP_NONE && !hasSelector(spec))
      spec.ipFamilyPolicy = 'RequireDualStack';
    else spec.ipFamilyPolicy = 'SingleStack';
  }
  const related = relatedFieldIssues(spec);
  if (related.length > 0) return related;
  const issues: FieldIssue[] = [];
  const families = (spec.ipFamilies ??= []);
  const single = spec.ipFamilyPolicy === 'SingleStack';
  const policyIssue = (detail: string): FieldIssue => ({
    field: 'spec.ipFamilyPolicy',
    type: 'FieldValueInvalid',
    value: spec.ipFamilyPolicy,
    detail,
  });
  if (single && (spec.clusterIPs ?? []).length === 2)
    issues.push(
      policyIssue("must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"),
    );
  if (single && families.length === 2)
    issues.push(
      policyIssue("must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"),
    );
  for (const [i, ip] of (spec.clusterIPs ?? []).entries()) {
    if (ip === CLUSTER_IP_NONE) break;
    const family = familyOf(ip) ?? 'IPv4';
    if (i < families.length) continue;
    if (family === 'IPv4') families.push(family);
    else
      issues.push(
        goInvalid(
          `spec.clusterIPs[${i}]`,
          goStringSlice(spec.clusterIPs),
          `${family} is not configured on this cluster`,
        ),
      );
  }
  if (issues.length > 0) return issues;
  if (spec.clusterIP === CLUSTER_IP_NONE && !hasSelector(spec)) {
    if (families.length === 0) families.push('IPv4');
    if (families.length < 2 && !single) families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
    return [];
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack')
    issues.push(policyIssue('this cluster is not configured for dual-stack services'));
  families.forEach((family, i) => {
    if (family !== 'IPv4') {
      const detail = 'not configured on this cluster';
      issues.push({ field: `spec.ipFamilies[${i}]`, type: 'FieldValueInvalid', value: family, detail });
    }
  });
  if (families.length === 0) families.push('IPv4');
  return issues;
}

/**
 * kube's validateUpgradeDowngradeClusterIPs on a single-stack cluster: assigned cluster IPs never
 * change (`spec.clusterIPs[0]: Invalid value: []string{...}: may not change once set`), except to
 * or from ExternalName.
 */
export function clusterIpImmutabilityIssues(spec: ServiceSpec, old: ServiceSpec): FieldIssue[] {
  if (!needsClusterIP(spec) || !needsClusterIP(old)) return [];
  if (isHeadless(spec) && isHeadless(old)) return [];
  const now = spec.clusterIPs ?? [];
  const before = old.clusterIPs ?? [];
  const shown = goStringSlice(spec.clusterIPs);
  const issues: FieldIssue[] = [];
  if (now.length === before.length) {
    before.forEach((ip, i) => {
      if (ip !== now[i]) issues.push(goInvalid(`spec.clusterIPs[${i}]`, shown, 'may not change once set'));
    });
  } else if (before.length > now.length) {
    if (now.length === 0)
      issues.push(goInvalid('spec.clusterIPs[0]', shown, 'primary clusterIP can not be unset'));
    else if (now[0] !== before[0])
      issues.push(goInvalid('spec.clusterIPs[0]', shown, 'may not change once set'));
  } else if (before.length > 0 && now[0] !== before[0]) {
    issues.push(goInvalid('spec.clusterIPs[0]', shown, 'may not change once set'));
  }
  return issues;
}
