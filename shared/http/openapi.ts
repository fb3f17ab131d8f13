import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { LeadReadsPage, LeadReadsQuery } from '../access/lead-reads.ts';
import { LEAD_STATUSES, TIMELINE_KINDS } from '../leads/lead.ts';
import { LeadSubmission, PublishedLeadSubmission } from '../leads/lead-submission.ts';
import { LEAD_CLASSES } from '../leads/scoring.ts';

const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error', description: 'Every 4xx and 5xx answer; `issues` name the fields at fault' });

/** What API Gateway answers itself (an HTTP API cannot reshape these): a refused token, throttling, no route. */
const GatewayError = z.object({ message: z.string() }).meta({
  id: 'GatewayError',
  description:
    'Answered by API Gateway itself, not by Attract: `Unauthorized` (the JWT authorizer refused the token), `Too Many Requests` (stage throttling), `Not Found` (no such route)',
});

const LeadAccepted = z.object({ leadId: z.uuid() }).meta({ id: 'LeadAccepted' });

const LeadView = z
  .object({
    leadId: z.uuid(),
    status: z.enum(LEAD_STATUSES),
    receivedAt: z.iso.datetime(),
    leadClass: z.enum(LEAD_CLASSES).nullable(),
    score: z
      .object({
        total: z.number(),
        configVersion: z.string(),
        breakdown: z.array(
          z.object({
            factor: z.string(),
            value: z.string(),
            weight: z.number(),
            fraction: z.number(),
            points: z.number(),
            explanation: z.string(),
          }),
        ),
      })
      .nullable(),
    assignedManager: z
      .object({
        managerId: z.string(),
        kind: z.enum(['acquisition', 'existing_client']),
        assignedAt: z.iso.datetime(),
      })
      .nullable(),
    failure: z
      .object({ error: z.string(), at: z.iso.datetime() })
      .nullable()
      .meta({ description: 'Set while the intake has failed: the error name only; a new run clears it' }),
    company: LeadSubmission.shape.company,
    contact: LeadSubmission.shape.contact,
    products: LeadSubmission.shape.products,
    message: z.string().nullable(),
    touchCount: z.number().int(),
    timeline: z.array(
      z.object({
        at: z.iso.datetime(),
        kind: z.enum(TIMELINE_KINDS),
        summary: z.string(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
  })
  .meta({ id: 'LeadView' });

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      { description: String(code), content: { 'application/json': { schema: ErrorResponse } } },
    ]),
  );

/** The JWT authorizer's refusal: 401 with a Bearer challenge saying why. */
const refusedToken = {
  401: {
    description:
      'The token is missing, expired, not yet valid, or not for this API (answered by API Gateway)',
    headers: {
      'www-authenticate': {
        description:
          '`Bearer` when no token was sent; otherwise `Bearer scope="" error="invalid_token" error_description="..."`',
        schema: { type: 'string' as const },
      },
    },
    content: { 'application/json': { schema: GatewayError } },
  },
};

/** The OpenAPI document of the Attract API, generated from the same zod schemas the handlers enforce. */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'staffToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/leads',
    summary: "Submit a company's enquiry (public web form)",
    request: {
      headers: z.object({ 'idempotency-key': z.string().max(255).optional() }),
      body: { required: true, content: { 'application/json': { schema: PublishedLeadSubmission } } },
    },
    responses: {
      202: {
        description: 'Accepted; a repeat of an earlier enquiry answers with the same leadId',
        content: { 'application/json': { schema: LeadAccepted } },
      },
      ...errors(400, 409, 413, 415),
      429: {
        description:
          'Too many submissions from this client (Attract, with `retry-after`), or stage throttling (API Gateway)',
        content: { 'application/json': { schema: z.union([ErrorResponse, GatewayError]) } },
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/leads/{leadId}',
    summary: 'Read a lead: status, class, score breakdown, assigned manager, timeline',
    security: [{ [bearer.name]: [] }],
    request: { params: z.object({ leadId: z.uuid() }) },
    responses: {
      200: { description: 'The lead', content: { 'application/json': { schema: LeadView } } },
      ...refusedToken,
      ...errors(403, 404),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/leads/{leadId}/reads',
    summary: 'Who read a lead and when, newest first (compliance officers)',
    security: [{ [bearer.name]: [] }],
    request: { params: z.object({ leadId: z.uuid() }), query: LeadReadsQuery },
    responses: {
      200: { description: 'A page of reads', content: { 'application/json': { schema: LeadReadsPage } } },
      ...refusedToken,
      ...errors(400, 403, 404),
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Attract API',
      version: '1.0.0',
      description:
        'Client acquisition for the bank\'s business-banking unit. A path or method not listed here is answered by API Gateway with 404 `{"message":"Not Found"}`.',
    },
  });
}
