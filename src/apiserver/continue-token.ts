/**
 * List continuation tokens: `base64url(JSON{v, rv, start})` like kube-apiserver's, where `rv` is the
 * revision of the first page (every page is read at it) and `start` the next key to read.
 */
import { badRequest } from '../api/status.js';

export interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString(
    'base64url',
  );
}

/** Decodes a token; malformed ones are a 400 as in kube. */
export function decodeContinue(text: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (raw.v !== 'meta.k8s.io/v1' || typeof raw.rv !== 'number' || typeof raw.start !== 'string')
      throw new Error('bad');
    return { rv: raw.rv, start: raw.start };
  } catch {
    throw badRequest('continue key is not valid: continue key is not valid');
  }
}
