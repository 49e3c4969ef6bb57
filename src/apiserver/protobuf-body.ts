/**
 * Protobuf request bodies. kubectl's typed commands (`create namespace|deployment|…`, `expose`)
 * send `application/vnd.kubernetes.protobuf` and never fall back to JSON, so the server decodes
 * them into the JSON object a JSON client would have sent and handles the request as JSON.
 */
import type { JsonObject } from '../api/meta.js';
import { PROTOBUF_MEDIA_TYPE, UnsupportedProtobufError, decodeObject } from '../api/protobuf/decode.js';
import { k8sSchema } from '../api/protobuf/k8s-schema.js';
import { ProtobufDecodeError } from '../api/protobuf/wire.js';
import { StatusError, badRequest, unsupportedMediaType } from '../api/status.js';
import type { ApiRequest } from './request.js';

/** Media types the server accepts for request bodies, as reported in 415 responses. */
const ACCEPTED = ['application/json', 'application/yaml', PROTOBUF_MEDIA_TYPE] as const;

/**
 * Decodes a Kubernetes protobuf body (magic `k8s\0` + `runtime.Unknown`) into a JSON object with
 * `apiVersion` and `kind` set. Throws a 415 StatusError for a kind (or raw encoding) the server
 * has no protobuf schema for, and a 400 StatusError for bytes that are not valid protobuf.
 */
export function decodeProtobufBody(bytes: Uint8Array): JsonObject {
  try {
    return decodeObject(k8sSchema, bytes);
  } catch (err) {
    if (err instanceof UnsupportedProtobufError) {
      const { status } = unsupportedMediaType(PROTOBUF_MEDIA_TYPE, `this server (${err.message})`, ACCEPTED);
      throw new StatusError(status, { cause: err });
    }
    if (err instanceof ProtobufDecodeError) {
      const { status } = badRequest(`the protobuf request body could not be decoded: ${err.message}`);
      throw new StatusError(status, { cause: err });
    }
    throw err;
  }
}

/** True when the request carries a non-empty body of the given media type. */
export function hasBodyOfType(req: ApiRequest, mediaType: string): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === mediaType && req.body !== undefined && req.body.length > 0;
}

/**
 * Returns the request with a protobuf body replaced by its JSON form (and `content-type:
 * application/json`); any other request is returned unchanged. PATCH bodies are never protobuf
 * and are left for the patch handler to reject. Throws like `decodeProtobufBody`.
 */
export function protobufRequestAsJson(req: ApiRequest): ApiRequest {
  if (req.method === 'PATCH' || !hasBodyOfType(req, PROTOBUF_MEDIA_TYPE) || req.body === undefined)
    return req;
  const json = decodeProtobufBody(req.body);
  return {
    ...req,
    headers: { ...req.headers, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(json)),
  };
}
