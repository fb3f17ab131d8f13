import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { openApiDocument } from '#shared/http/openapi.ts';
import { apiRoutes } from '#shared/http/routes.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
const stateless = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);

const table = apiRoutes().map((route) => ({
  routeKey: `${route.method} ${route.path}`,
  authorization: route.access === 'staff' ? 'JWT' : 'NONE',
  function: route.function,
  operationId: route.operationId,
  access: route.access,
}));
/** Public operations must say so (`security: []`); staff ones name the bearer scheme. */
const accessOf = (security: unknown) =>
  ({ '[]': 'public', '[{"staffToken":[]}]': 'staff' })[JSON.stringify(security)] ??
  `undeclared: ${JSON.stringify(security)}`;
const byKey = (a: { routeKey: string }, b: { routeKey: string }) => a.routeKey.localeCompare(b.routeKey);

describe('the route table is the one declaration of the API', () => {
  const integrations = stateless.findResources('AWS::ApiGatewayV2::Integration');
  const synthesized = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map(
    ({ Properties }) => {
      const integrationId = Properties.Target['Fn::Join'][1][1].Ref as string;
      return {
        routeKey: Properties.RouteKey as string,
        authorization: Properties.AuthorizationType as string,
        servedBy: integrations[integrationId]?.Properties.IntegrationUri['Fn::GetAtt'][0] as string,
      };
    },
  );

  it('synthesizes exactly the routes of the table, staff routes behind the JWT authorizer', () => {
    expect(
      synthesized.map(({ routeKey, authorization }) => ({ routeKey, authorization })).sort(byKey),
    ).toEqual(table.map(({ routeKey, authorization }) => ({ routeKey, authorization })).sort(byKey));
  });

  it('serves each route by the function its key names: one function per key', () => {
    const servedBy = new Map(synthesized.map((r) => [r.routeKey, r.servedBy]));
    const functionsOfKey = new Map<string, Set<string | undefined>>();
    for (const route of table) {
      functionsOfKey.set(
        route.function,
        (functionsOfKey.get(route.function) ?? new Set()).add(servedBy.get(route.routeKey)),
      );
    }
    const functions = [...functionsOfKey.values()].map((set) => [...set]);
    for (const served of functions) expect(served).toEqual([expect.stringMatching(/^\w+$/)]);
    expect(new Set(functions.flat()).size).toBe(functionsOfKey.size);
  });

  it('generates a document whose operations are exactly the table routes, with their security', () => {
    const doc = openApiDocument();
    const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      (['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const)
        .filter((method) => item[method])
        .map((method) => ({
          routeKey: `${method.toUpperCase()} ${path}`,
          operationId: item[method]?.operationId,
          access: accessOf(item[method]?.security),
        })),
    );
    expect(operations.sort(byKey)).toEqual(
      table.map(({ routeKey, operationId, access }) => ({ routeKey, operationId, access })).sort(byKey),
    );
  });
});
