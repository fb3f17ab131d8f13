import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ErrorBody, GatewayError } from './errors.ts';
import { type Answer, type ApiRoute, apiRoutes } from './routes.ts';

type Said = Answer & { by: 'Attract' | 'API Gateway' };

/** What API Gateway answers on a route before (or instead of) its function: these no handler can reshape. */
function gatewayAnswers(route: ApiRoute): [number, Said][] {
  const gateway = (description: string, headers?: z.ZodObject): Said => ({
    description,
    schema: GatewayError,
    by: 'API Gateway',
    ...(headers ? { headers } : {}),
  });
  const challenge = z.object({
    'www-authenticate': z.string().meta({
      description:
        '`Bearer` when no token was sent; otherwise `Bearer scope="" error="invalid_token" error_description="..."`',
    }),
  });
  const answers: [number, Said][] = [
    [429, gateway("Over the stage's rate or burst limit")],
    [500, gateway('The function failed or timed out')],
  ];
  if (route.access === 'staff') {
    answers.push([
      401,
      gateway('The token is missing, expired, not yet valid, or not for this API', challenge),
    ]);
  }
  if (route.request?.body) answers.push([413, gateway('The body is over 10 MB')]);
  return answers;
}

/** Answers given on one status by both Attract and the gateway become one response with either body. */
function merged(answers: Said[]): ResponseConfig {
  const [first, ...rest] = answers;
  if (!first) throw new Error('No answer to describe');
  const schema = rest.length ? z.union([first.schema, ...rest.map((a) => a.schema)]) : first.schema;
  const names = new Set(answers.flatMap((a) => Object.keys(a.headers?.shape ?? {})));
  const headers = Object.fromEntries(
    [...names].map((name) => {
      const carried = answers.map((a) => a.headers?.shape[name] as z.ZodType | undefined);
      const schema = carried.find((h) => h !== undefined) ?? z.string();
      // A header only some of the answers carry is optional in the merged response.
      return [name, carried.every((h) => h !== undefined) ? schema : schema.optional()];
    }),
  );
  return {
    description: answers.map((a) => (rest.length ? `${a.by}: ${a.description}` : a.description)).join('. '),
    ...(names.size ? { headers: z.object(headers) } : {}),
    content: { [first.mediaType ?? 'application/json']: { schema } },
  };
}

function responsesOf(route: ApiRoute): Record<string, ResponseConfig> {
  const byStatus = new Map<number, Said[]>();
  const add = (status: number, said: Said) => byStatus.set(status, [...(byStatus.get(status) ?? []), said]);
  for (const [status, answer] of Object.entries(route.responses))
    add(Number(status), { ...answer, by: 'Attract' });
  // The handler pipeline (api.ts) answers any unexpected failure itself, on every route.
  add(500, { description: 'Something went wrong on our side', schema: ErrorBody, by: 'Attract' });
  for (const [status, said] of gatewayAnswers(route)) add(status, said);
  return Object.fromEntries(
    [...byStatus].sort(([a], [b]) => a - b).map(([status, answers]) => [String(status), merged(answers)]),
  );
}

/** The OpenAPI document of the Attract API, generated from the route table and the handlers' own schemas. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'staffToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID or access token of a member of staff',
  });
  for (const route of apiRoutes()) {
    const { params, query, headers, body, bodyType = 'application/json' } = route.request ?? {};
    registry.registerPath({
      method: route.method === 'GET' ? 'get' : route.method === 'PUT' ? 'put' : 'post',
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      // Public routes say so explicitly: no token is needed, none is checked.
      security: route.access === 'staff' ? [{ [bearer.name]: [] }] : [],
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(headers ? { headers } : {}),
        ...(body ? { body: { required: true, content: { [bodyType]: { schema: body } } } } : {}),
      },
      responses: responsesOf(route),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Attract API',
      version: '1.0.0',
      description:
        'Client acquisition for the bank\'s business-banking unit. A path or method not listed here is answered by API Gateway with 404 `{"message":"Not Found"}`.',
    },
    servers: [
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'The deployed HTTP API named `attract` (stack AttractStateless)',
        variables: {
          apiId: {
            default: 'a1b2c3d4e5',
            description:
              "Its id: `aws apigatewayv2 get-apis --query \"Items[?Name=='attract'].ApiId\"` in the deployment's account",
          },
          region: { default: 'eu-central-1', description: 'The region the stacks are deployed to' },
        },
      },
      {
        url: 'http://127.0.0.1:3000',
        description: 'The local runtime (`npm start`; `ATTRACT_API_PORT` moves it)',
      },
    ],
  });
}
