/**
 * Reading Kubernetes objects from the files a command is given (`-f FILE`, `-` for stdin): YAML
 * or JSON streams, `List` kinds flattened. Anything that is not an object with apiVersion, kind
 * and metadata.name is a `UsageError` naming the file and document.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../api/meta.js';
import { UsageError } from './flags.js';

/** The objects in `file` (`-` reads standard input). */
export async function readObjects(file: string): Promise<KubeObject[]> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const docs = parseAllDocuments(text);
  const out: KubeObject[] = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    if (doc.errors.length > 0)
      throw new UsageError(
        `${file}: document ${i + 1} is not valid YAML: ${(doc.errors[0]?.message ?? '').split('\n')[0] ?? ''}`,
      );
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    for (const obj of flatten(value)) out.push(checkObject(obj, `${file}: document ${i + 1}`));
  }
  return out;
}

function flatten(value: unknown): unknown[] {
  const v = value as { kind?: unknown; items?: unknown };
  if (
    typeof v === 'object' &&
    typeof v.kind === 'string' &&
    v.kind.endsWith('List') &&
    Array.isArray(v.items)
  )
    return v.items;
  return [value];
}

function checkObject(value: unknown, where: string): KubeObject {
  const obj = value as Partial<KubeObject>;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${where} is not a Kubernetes object`);
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '')
    throw new UsageError(`${where}: apiVersion is required`);
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new UsageError(`${where}: kind is required`);
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '')
    throw new UsageError(`${where}: ${obj.kind} needs metadata.name`);
  return obj as KubeObject;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
