import { Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ApiRoute, RouteFunction } from '#shared/http/routes.ts';
import type { Operations } from './operations.ts';

export interface AttractApiProps {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly operations: Operations;
  /** Origins whose pages may call the API from a browser (`attract:allowedOrigins`). */
  readonly allowedOrigins: string[];
}

/**
 * What a browser may send: the public form posts JSON with an optional Idempotency-Key; staff pages read
 * with a bearer token. `retry-after` is exposed so the form can say when to try again after a 429.
 */
export const API_CORS = {
  allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
  allowHeaders: ['content-type', 'idempotency-key', 'authorization'],
  exposeHeaders: ['retry-after'],
  maxAge: Duration.hours(1),
};

/** The HTTP API: public routes for prospects' forms, JWT-protected routes for staff. */
export class AttractApi extends Construct {
  readonly httpApi: HttpApi;
  private readonly staffAuthorizer: IHttpRouteAuthorizer;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: AttractApiProps) {
    super(scope, id);
    // API Gateway answers preflights itself and sets the CORS headers; handlers never do.
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: 'attract',
      createDefaultStage: true,
      corsPreflight: { ...API_CORS, allowOrigins: props.allowedOrigins },
    });
    this.staffAuthorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = this.httpApi.defaultStage?.node.defaultChild as CfnStage;
    // Access logs carry request ids and status, never bodies or source addresses.
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = {
      throttlingRateLimit: props.rateLimit,
      throttlingBurstLimit: props.burstLimit,
    };
    props.operations.alarmOnAny(
      'Api5xx',
      this.httpApi.metricServerError(),
      'The Attract API answered with server errors',
    );
  }

  /**
   * Adds the routes of the route table (shared/http/routes.ts), each served by the function its key names;
   * the OpenAPI document is generated from the same table, so the two cannot disagree.
   */
  addRoutes(routes: readonly ApiRoute[], functions: Record<RouteFunction, IFunction>): void {
    for (const route of routes) {
      const method = HttpMethod[route.method];
      if (route.access === 'public') this.publicRoute(method, route.path, functions[route.function]);
      else this.staffRoute(method, route.path, functions[route.function]);
    }
  }

  /** A route anyone may call: prospects' forms and the API description. */
  private publicRoute(method: HttpMethod, path: string, fn: IFunction): void {
    for (const route of this.httpApi.addRoutes({
      path,
      methods: [method],
      integration: this.integration(fn),
    })) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${method} ${path} is public by design (prospects' forms, signed links in emails and letters, the API description); input is validated, signed links checked, forms rate-limited per client, and the stage throttled.`,
      });
    }
  }

  /** A route for signed-in staff; the handler checks the role. */
  private staffRoute(method: HttpMethod, path: string, fn: IFunction): void {
    this.httpApi.addRoutes({
      path,
      methods: [method],
      integration: this.integration(fn),
      authorizer: this.staffAuthorizer,
    });
  }

  /**
   * One integration per function, shared by its routes (each route still grants its own invoke permission):
   * an integration per route would spend a resource of the stack's 500 on every route.
   */
  private integration(fn: IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${Names.nodeUniqueId(fn.node)}Integration`, fn);
      this.integrations.set(fn, integration);
    }
    return integration;
  }
}
