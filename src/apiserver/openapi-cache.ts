/**
 * The OpenAPI documents of what is served now, rebuilt lazily when the registry changes (a CRD is
 * established or removed), so `?hash=` URLs always name the current content.
 */
import { builtinOpenAPISchemas } from '../api/builtin-schemas/builtin-openapi-schemas.js';
import type { OpenAPIV3Build } from './openapi/build-v3.js';
import { buildOpenAPIV3 } from './openapi/build-v3.js';
import { serveOpenAPI } from './openapi/serve.js';
import type { ResourceRegistry } from './registry.js';
import type { ApiResponse } from './request.js';

export class OpenAPIDocuments {
  readonly #registry: ResourceRegistry;
  #built: { revision: number; docs: OpenAPIV3Build } | undefined;

  constructor(registry: ResourceRegistry) {
    this.#registry = registry;
  }

  /** The documents for the registry's current revision. */
  documents(): OpenAPIV3Build {
    const revision = this.#registry.revision;
    if (this.#built?.revision !== revision) {
      this.#built = { revision, docs: buildOpenAPIV3(this.#registry.all(), builtinOpenAPISchemas().schemas) };
    }
    return this.#built.docs;
  }

  /** Answers `/openapi/v2`, `/openapi/v3` and `/openapi/v3/<group-version>`. */
  serve(
    path: string,
    query: URLSearchParams,
    headers: Readonly<Record<string, string | undefined>>,
  ): ApiResponse {
    const accept = headers['accept'];
    const ifNoneMatch = headers['if-none-match'];
    return serveOpenAPI(
      {
        path,
        query,
        ...(accept !== undefined ? { accept } : {}),
        ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}),
      },
      this.documents(),
    );
  }
}
