import type { IncomingHttpHeaders } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type Document, OpenAPIBackend, type Operation, SetMatchType } from 'openapi-backend';

/** One request and the answer it got, as the e2e client saw them. */
export type Exchange = {
  method: string;
  path: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
};

type Response = {
  content?: Record<string, unknown>;
  headers?: Record<string, { required?: boolean }>;
};

/**
 * openapi-backend for an OpenAPI 3.1 document. Out of the box it checks the document against the 3.0
 * schema (a 3.1 document fails) and validates bodies with a draft-07 Ajv that ignores unknown formats;
 * here the document is Redocly's to lint (test/infra/openapi-lint.test.ts) and schemas are compiled
 * as JSON Schema 2020-12, the dialect of OpenAPI 3.1, with formats (uuid, date-time, email) checked.
 */
class OpenApi31Backend extends OpenAPIBackend {
  override validateDefinition(): Document {
    return this.document;
  }
}

/** The API description as a checker of answers: what it documents is all an answer may be. */
export class ApiContract {
  private readonly backend: OpenAPIBackend;

  private constructor(backend: OpenAPIBackend) {
    this.backend = backend;
  }

  static async of(document: object): Promise<ApiContract> {
    const backend = new OpenApi31Backend({
      definition: document as Document,
      strict: true,
      // Each operation's validators compiled when an answer of it is first checked, not all of them up front:
      // compiling every schema of the document took 7-9 s in each test file.
      quick: true,
      customizeAjv: (_draft07, options) => {
        const ajv = new Ajv2020({ ...options, strict: true, allErrors: true });
        // OpenAPI's annotation keywords are not JSON Schema's; they say nothing about a value.
        ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
        return addFormats.default(ajv);
      },
    });
    await backend.init();
    return new ApiContract(backend);
  }

  /** What is wrong with this answer by the description; empty when it is as documented. */
  problems(exchange: Exchange): string[] {
    const url = new URL(exchange.path, 'http://api');
    const operation = this.backend.matchOperation({
      method: exchange.method,
      path: url.pathname,
      headers: {},
      query: url.search.slice(1),
    });
    if (!operation) {
      // The description's own words: any other path or method is API Gateway's 404.
      return exchange.status === 404 && isDeepStrictEqual(exchange.body, { message: 'Not Found' })
        ? []
        : [`no operation matches, so only API Gateway's 404 {"message":"Not Found"} may answer`];
    }
    const responses = (operation.responses ?? {}) as Record<string, Response>;
    const status = String(exchange.status);
    const response = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (!response) {
      return [`${operation.operationId} documents no ${status} (only ${Object.keys(responses).join(', ')})`];
    }
    return [
      ...this.mediaTypeProblems(response, exchange),
      ...this.bodyProblems(operation, exchange),
      ...this.headerProblems(operation, response, exchange),
    ];
  }

  private mediaTypeProblems(response: Response, exchange: Exchange): string[] {
    const mediaType = String(exchange.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim();
    const documented = Object.keys(response.content ?? {});
    return mediaType && documented.includes(mediaType)
      ? []
      : [
          `content-type ${mediaType || '(none)'} is not documented (only ${documented.join(', ') || 'no body'})`,
        ];
  }

  private bodyProblems(operation: Operation, exchange: Exchange): string[] {
    const { errors } = this.backend.validateResponse(exchange.body, operation, exchange.status);
    return (errors ?? []).map((e) => `body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  }

  private headerProblems(operation: Operation, response: Response, exchange: Exchange): string[] {
    // openapi-backend checks the values of the headers present; whether a header is required is ours to check.
    const { errors } = this.backend.validateResponseHeaders(exchange.headers, operation, {
      statusCode: exchange.status,
      setMatchType: SetMatchType.Any,
    });
    const missing = Object.entries(response.headers ?? {})
      .filter(([name, header]) => header.required && exchange.headers[name.toLowerCase()] === undefined)
      .map(([name]) => `header ${name} is required and missing`);
    return [...(errors ?? []).map((e) => `header${e.instancePath} ${e.message}`), ...missing];
  }
}
