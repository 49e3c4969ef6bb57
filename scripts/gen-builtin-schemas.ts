/**
 * Generates src/api/builtin-schemas/generated/*.json: the OpenAPI v3 component schemas of every
 * built-in kind the hub serves (src/api/builtin-resources.ts), plus everything they reference.
 *
 * Source: the `kubernetes-models` npm package (pinned in package.json). It ships one declaration
 * file per upstream OpenAPI definition, named after it, with the upstream descriptions as JSDoc,
 * enums as literal unions, required fields as non-optional properties and the apimachinery wrappers
 * (Quantity, IntOrString, Time) as named types. The declaration files are read with the TypeScript
 * compiler. TypeScript has one `number` type, so integer formats come from the attribute type maps
 * of `@kubernetes/client-node` (also generated from the upstream spec).
 *
 * The upstream spec carries `x-kubernetes-patch-*` and list-type extensions from Go struct tags;
 * neither package keeps them, so the few the hub's kinds need are listed in PATCH_METADATA below.
 *
 * Run: node --import tsx scripts/gen-builtin-schemas.ts   (output is already Prettier-formatted)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import ts from 'typescript';
import * as clientNode from '@kubernetes/client-node';
import { builtinResources } from '../src/api/builtin-resources.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = { [k: string]: Json };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/api/builtin-schemas/generated');
const require = createRequire(import.meta.url);
const modelsDir = dirname(require.resolve('kubernetes-models/package.json'));
const machineryDir = join(
  dirname(require.resolve('kubernetes-models/package.json')),
  '..',
  '@kubernetes-models/apimachinery',
);
const modelsVersion = (
  JSON.parse(readFileSync(join(modelsDir, 'package.json'), 'utf8')) as { version: string }
).version;

/** [strategy, list-map keys (first = SMP merge key)]; lists with no keys are sets. */
type PatchMeta = readonly [strategy: string, keys?: readonly string[]];
const conditions: PatchMeta = ['merge', ['type']];
const PATCH_METADATA: Record<string, Record<string, PatchMeta>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    ownerReferences: ['merge', ['uid']],
    finalizers: ['merge'],
  },
  'io.k8s.api.core.v1.PodSpec': {
    containers: ['merge', ['name']],
    initContainers: ['merge', ['name']],
    ephemeralContainers: ['merge', ['name']],
    volumes: ['merge,retainKeys', ['name']],
    imagePullSecrets: ['merge', ['name']],
    hostAliases: ['merge', ['ip']],
    topologySpreadConstraints: ['merge', ['topologyKey', 'whenUnsatisfiable']],
    schedulingGates: ['merge', ['name']],
    resourceClaims: ['merge,retainKeys', ['name']],
  },
  'io.k8s.api.core.v1.Container': {
    ports: ['merge', ['containerPort', 'protocol']],
    env: ['merge', ['name']],
    volumeMounts: ['merge', ['mountPath']],
    volumeDevices: ['merge', ['devicePath']],
  },
  'io.k8s.api.core.v1.EphemeralContainer': {
    ports: ['merge', ['containerPort', 'protocol']],
    env: ['merge', ['name']],
    volumeMounts: ['merge', ['mountPath']],
    volumeDevices: ['merge', ['devicePath']],
  },
  'io.k8s.api.core.v1.PodStatus': { conditions, podIPs: ['merge', ['ip']], hostIPs: ['merge', ['ip']] },
  'io.k8s.api.core.v1.ServiceSpec': { ports: ['merge', ['port', 'protocol']] },
  'io.k8s.api.core.v1.ServiceStatus': { conditions },
  'io.k8s.api.core.v1.NodeSpec': { podCIDRs: ['merge'] },
  'io.k8s.api.core.v1.NodeStatus': { conditions, addresses: ['merge', ['type']] },
  'io.k8s.api.core.v1.NamespaceStatus': { conditions },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': { conditions },
  'io.k8s.api.core.v1.ServiceAccount': { secrets: ['merge', ['name']] },
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: ['retainKeys'] },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions },
  'io.k8s.api.batch.v1.JobStatus': { conditions },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions },
};

/** Extra roots beyond the served kinds and their lists: the scale subresource and API errors. */
const EXTRA_ROOTS = [
  'autoscaling/v1/Scale',
  'apimachinery:apis/meta/v1/Status',
  'apimachinery:apis/meta/v1/DeleteOptions',
];

function modelFile(spec: string): string {
  if (spec.startsWith('apimachinery:'))
    return join(machineryDir, `${spec.slice('apimachinery:'.length)}.d.ts`);
  return join(modelsDir, `${spec}.d.ts`);
}

/** Upstream definition name of a declaration file, e.g. `io.k8s.api.apps.v1.DeploymentSpec`. */
function upstreamName(file: string): string {
  const inMachinery = file.startsWith(machineryDir + '/');
  const rel = relative(inMachinery ? machineryDir : modelsDir, file).replace(/\.d\.ts$/, '');
  const parts = rel.split('/');
  const name = parts.pop() ?? '';
  if (inMachinery) return ['io.k8s.apimachinery.pkg', ...parts, name].join('.');
  if (parts.length === 1) return `io.k8s.api.core.${parts[0] ?? ''}.${name}`;
  const [group = '', version = ''] = parts;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}.${name}`;
  if (group === 'apiregistration.k8s.io')
    return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}.${name}`;
  return `io.k8s.api.${group.split('.')[0] ?? ''}.${version}.${name}`;
}

/** The PascalCase alias kubernetes-models exports for a definition, to cross-check upstreamName. */
function aliasOf(name: string): string {
  return name
    .split(/[.-]/)
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');
}

function resolveImport(fromFile: string, spec: string): string {
  if (spec.startsWith('.')) return resolve(dirname(fromFile), spec.replace(/\.js$/, '.d.ts'));
  const prefix = '@kubernetes-models/apimachinery/';
  if (spec.startsWith(prefix)) return join(machineryDir, `${spec.slice(prefix.length)}.d.ts`);
  throw new Error(`unexpected import ${spec} in ${fromFile}`);
}

function docOf(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .join('\n')
    .trim();
  return text === '' ? undefined : text;
}

/** Integer formats from @kubernetes/client-node: `V1DeploymentSpec.replicas` -> `int32`. */
function numberFormat(component: string, prop: string): string | undefined {
  const parts = component.split('.');
  const name = parts.at(-1) ?? '';
  const version = parts.at(-2) ?? '';
  const group = parts.at(-3) ?? '';
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const models = clientNode as unknown as Record<
    string,
    { attributeTypeMap?: { baseName: string; format: string }[] } | undefined
  >;
  for (const candidate of [`${cap(group)}${cap(version)}${name}`, `${cap(version)}${name}`]) {
    const attr = models[candidate]?.attributeTypeMap?.find((a) => a.baseName === prop);
    if (attr) return attr.format;
  }
  return undefined;
}

const WRAPPERS: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { oneOf: [{ type: 'string' }, { type: 'number' }] },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': {
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
};
const OBJECT_BLOBS = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  'io.k8s.apimachinery.pkg.runtime.RawExtension',
]);

const STATUS = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

class Generator {
  readonly schemas = new Map<string, Schema>();
  /** Descriptions of apiVersion/kind, which kubernetes-models drops where it narrows them to literals. */
  readonly typeMetaDocs = new Map<string, string>();
  readonly #queue: string[] = [];
  readonly #seen = new Set<string>();

  add(file: string): string {
    const name = upstreamName(file);
    if (!this.#seen.has(file)) {
      this.#seen.add(file);
      this.#queue.push(file);
    }
    return name;
  }

  run(): void {
    for (let file = this.#queue.shift(); file !== undefined; file = this.#queue.shift()) this.#convert(file);
    for (const schema of this.schemas.values()) {
      if (schema['x-kubernetes-group-version-kind'] === undefined) continue;
      const props = schema['properties'] as Record<string, Schema> | undefined;
      for (const p of ['apiVersion', 'kind']) {
        const doc = this.typeMetaDocs.get(p);
        const prop = props?.[p];
        if (props && prop && doc !== undefined && prop['description'] === undefined)
          props[p] = { description: doc, ...prop };
      }
    }
  }

  #convert(file: string): void {
    const name = upstreamName(file);
    const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const imports = new Map<string, string>();
    let iface: ts.InterfaceDeclaration | undefined;
    let alias: ts.TypeAliasDeclaration | undefined;
    let exported = '';
    for (const st of src.statements) {
      if (
        ts.isImportDeclaration(st) &&
        ts.isStringLiteral(st.moduleSpecifier) &&
        st.importClause?.namedBindings
      ) {
        const spec = st.moduleSpecifier.text;
        if (spec === '@kubernetes-models/base') continue;
        const bindings = st.importClause.namedBindings;
        if (ts.isNamedImports(bindings))
          for (const el of bindings.elements) imports.set(el.name.text, resolveImport(file, spec));
      } else if (ts.isInterfaceDeclaration(st) && !iface) iface = st;
      else if (ts.isTypeAliasDeclaration(st) && !alias) alias = st;
      else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        exported =
          st.exportClause.elements.map((e) => e.name.text).find((n) => n.startsWith('IIo')) ?? exported;
      }
    }
    if (exported !== `I${aliasOf(name)}`)
      throw new Error(`${file}: computed ${name} but the file exports ${exported}`);
    const self = iface?.name.text ?? alias?.name.text;
    const ctx: Ctx = { file, component: name, imports, self: self ?? '' };
    const description = docOf(iface ?? alias ?? src.statements[0] ?? src);
    let schema: Schema;
    if (WRAPPERS[name]) schema = { ...WRAPPERS[name] };
    else if (iface) schema = this.#object(iface, ctx);
    else throw new Error(`${file}: no interface for ${name}`);
    if (description !== undefined) schema = { description, ...schema };
    this.schemas.set(name, schema);
  }

  #object(iface: ts.InterfaceDeclaration | ts.TypeLiteralNode, ctx: Ctx): Schema {
    const properties: Record<string, Json> = {};
    const required: string[] = [];
    let gvk: { apiVersion?: string; kind?: string } = {};
    const heritage = ts.isInterfaceDeclaration(iface) && iface.heritageClauses !== undefined;
    for (const m of iface.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
      if (!m.questionToken) required.push(prop);
      let s: Schema;
      if (
        (prop === 'apiVersion' || prop === 'kind') &&
        ts.isLiteralTypeNode(m.type) &&
        ts.isStringLiteral(m.type.literal)
      ) {
        gvk = { ...gvk, [prop]: m.type.literal.text };
        s = { type: 'string' };
      } else s = this.#type(m.type, { ...ctx, prop });
      const doc = docOf(m);
      if (doc !== undefined && ctx.component === STATUS && (prop === 'apiVersion' || prop === 'kind')) {
        this.typeMetaDocs.set(prop, doc);
      }
      if (doc !== undefined)
        s = s['$ref'] !== undefined ? { description: doc, allOf: [s] } : { description: doc, ...s };
      const patch = PATCH_METADATA[ctx.component]?.[prop];
      if (patch) s = { ...s, ...patchExtensions(patch, s) };
      properties[prop] = s;
    }
    const out: Schema = { type: 'object' };
    if (OBJECT_BLOBS.has(ctx.component) || (iface.members.length === 0 && !heritage)) {
      // Opaque JSON (FieldsV1, RawExtension, apiextensions JSON…): keep whatever the client sends.
      if (!OBJECT_BLOBS.has(ctx.component)) delete out['type'];
      out['x-kubernetes-preserve-unknown-fields'] = true;
      return out;
    }
    if (
      required.length > 0 &&
      !(gvk.apiVersion && required.length <= 2 && required.every((r) => r === 'apiVersion' || r === 'kind'))
    ) {
      out['required'] = required.filter((r) => !(gvk.apiVersion && (r === 'apiVersion' || r === 'kind')));
      if ((out['required'] as Json[]).length === 0) delete out['required'];
    }
    out['properties'] = properties;
    if (gvk.apiVersion && gvk.kind) {
      const slash = gvk.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : gvk.apiVersion.slice(0, slash);
      const version = gvk.apiVersion.slice(slash + 1);
      out['x-kubernetes-group-version-kind'] = [{ group, kind: gvk.kind, version }];
    }
    return out;
  }

  #type(node: ts.TypeNode, ctx: Ctx & { prop: string }): Schema {
    if (node.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
    if (node.kind === ts.SyntaxKind.NumberKeyword) {
      const format = numberFormat(ctx.component, ctx.prop);
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return format ? { type: 'number', format } : { type: 'number' };
    }
    if (node.kind === ts.SyntaxKind.AnyKeyword || node.kind === ts.SyntaxKind.UnknownKeyword) {
      return { 'x-kubernetes-preserve-unknown-fields': true };
    }
    if (ts.isParenthesizedTypeNode(node)) return this.#type(node.type, ctx);
    if (ts.isArrayTypeNode(node)) return { type: 'array', items: this.#type(node.elementType, ctx) };
    if (ts.isUnionTypeNode(node)) {
      const literals = node.types.map((t) =>
        ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? t.literal.text : undefined,
      );
      if (literals.every((l) => l !== undefined)) return { type: 'string', enum: literals };
      throw new Error(`${ctx.component}.${ctx.prop}: unsupported union ${node.getText()}`);
    }
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index) return { type: 'object', additionalProperties: this.#type(index.type, ctx) };
      // An inlined object (StatefulSetSpec.volumeClaimTemplates items): convert it in place.
      return this.#object(node, { ...ctx, component: `${ctx.component}.${ctx.prop}` });
    }
    if (ts.isTypeReferenceNode(node)) {
      const id = node.typeName.getText();
      const arg = node.typeArguments?.[0];
      if (id === 'Array' && arg) return { type: 'array', items: this.#type(arg, ctx) };
      if (id === ctx.self) return ref(ctx.component);
      const file = ctx.imports.get(id);
      if (!file) throw new Error(`${ctx.component}.${ctx.prop}: unresolved type ${id}`);
      return ref(this.add(file));
    }
    throw new Error(`${ctx.component}.${ctx.prop}: unsupported type ${ts.SyntaxKind[node.kind]}`);
  }
}

interface Ctx {
  file: string;
  component: string;
  imports: Map<string, string>;
  self: string;
}

function patchExtensions([strategy, keys]: PatchMeta, s: Schema): Schema {
  const out: Schema = { 'x-kubernetes-patch-strategy': strategy };
  if (s['type'] !== 'array') return out;
  if (keys && keys.length > 0) {
    out['x-kubernetes-patch-merge-key'] = keys[0] ?? '';
    out['x-kubernetes-list-type'] = 'map';
    out['x-kubernetes-list-map-keys'] = [...keys];
  } else out['x-kubernetes-list-type'] = 'set';
  return out;
}

async function writeJson(file: string, value: Json): Promise<void> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(JSON.stringify(value, null, 2), { ...options, parser: 'json' }));
}

async function main(): Promise<void> {
  const gen = new Generator();
  const roots = new Set<string>(EXTRA_ROOTS);
  for (const r of builtinResources()) {
    const dir = r.group === '' ? r.version : `${r.group}/${r.version}`;
    roots.add(`${dir}/${r.kind}`);
    roots.add(`${dir}/${r.listKind}`);
  }
  for (const spec of [...roots].sort()) gen.add(modelFile(spec));
  gen.run();

  const byPackage = new Map<string, Record<string, Schema>>();
  const gvks: Json[] = [];
  for (const name of [...gen.schemas.keys()].sort()) {
    const schema = gen.schemas.get(name) ?? {};
    const pkg = name.slice(0, name.lastIndexOf('.'));
    const bucket = byPackage.get(pkg) ?? {};
    bucket[name] = schema;
    byPackage.set(pkg, bucket);
    const gvk = (schema['x-kubernetes-group-version-kind'] as Schema[] | undefined)?.[0];
    if (gvk) gvks.push({ ...gvk, component: name });
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const packages: Record<string, string> = {};
  for (const [pkg, schemas] of byPackage) {
    const fileName = `${pkg}.json`;
    packages[pkg] = fileName;
    await writeJson(join(outDir, fileName), schemas);
  }
  const index = { source: { package: 'kubernetes-models', version: modelsVersion }, packages, gvks };
  await writeJson(join(outDir, 'index.json'), index);
  const count = gen.schemas.size;
  process.stdout.write(`wrote ${count} schemas in ${byPackage.size} files to ${relative(root, outDir)}\n`);
}

await main();
