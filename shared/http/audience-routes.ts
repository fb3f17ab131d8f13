import {
  AudiencePreview,
  AudiencesPage,
  AudiencesQuery,
  AudienceView,
  audiencePath,
  EditAudienceBody,
  MembersPage,
  MembersQuery,
  NewAudienceBody,
  PreviewQuery,
} from '../audiences/audience-api.ts';
import { type ApiRoute, failure } from './route-kit.ts';

const invalid = failure('Invalid fields: `issues` name each (`filters.score.min`) with why');
const readers = '(campaign manager, compliance officer, head of unit)';
const notFound = failure('No such audience');

/** Audiences of targeted letters (docs/audiences.md): campaign managers write and approve, others read. */
export const AUDIENCE_ROUTES = {
  createAudience: {
    method: 'POST',
    path: '/v1/audiences',
    access: 'staff',
    summary: 'Write a draft audience: a name and filters over prospects (campaign manager)',
    function: 'keepAudiences',
    request: { body: NewAudienceBody },
    responses: {
      201: { description: 'The draft', schema: AudienceView },
      400: invalid,
      403: failure('Only campaign managers write audiences'),
    },
  },
  listAudiences: {
    method: 'GET',
    path: '/v1/audiences',
    access: 'staff',
    summary: `Audiences, newest first, a page at a time ${readers}`,
    function: 'keepAudiences',
    request: { query: AudiencesQuery },
    responses: {
      200: { description: 'A page of audiences', schema: AudiencesPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('The role may not read audiences'),
    },
  },
  readAudience: {
    method: 'GET',
    path: '/v1/audiences/{audienceId}',
    access: 'staff',
    summary: `An audience: its filters, status, progress while freezing, count once frozen ${readers}`,
    function: 'keepAudiences',
    request: { params: audiencePath },
    responses: {
      200: { description: 'The audience', schema: AudienceView },
      403: failure('The role may not read audiences'),
      404: notFound,
    },
  },
  editAudience: {
    method: 'PUT',
    path: '/v1/audiences/{audienceId}',
    access: 'staff',
    summary: "Replace a draft's filters (and name); an approved audience never changes (campaign manager)",
    function: 'keepAudiences',
    request: { params: audiencePath, body: EditAudienceBody },
    responses: {
      200: { description: 'The draft as saved', schema: AudienceView },
      400: invalid,
      403: failure('Only campaign managers edit audiences'),
      404: notFound,
      409: failure('`not_draft`: the audience was approved or discarded and no longer changes'),
    },
  },
  discardAudience: {
    method: 'POST',
    path: '/v1/audiences/{audienceId}/discard',
    access: 'staff',
    summary: 'Discard a draft (campaign manager)',
    function: 'keepAudiences',
    request: { params: audiencePath },
    responses: {
      200: { description: 'Discarded', schema: AudienceView },
      403: failure('Only campaign managers discard audiences'),
      404: notFound,
      409: failure('`not_draft`: only a draft is discarded'),
    },
  },
  previewAudience: {
    method: 'GET',
    path: '/v1/audiences/{audienceId}/preview',
    access: 'staff',
    summary: `The first prospects the audience's filters match, with their scores; no contacts ${readers}`,
    function: 'keepAudiences',
    request: { params: audiencePath, query: PreviewQuery },
    responses: {
      200: { description: 'The first matches', schema: AudiencePreview },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('The role may not read audiences'),
      404: notFound,
    },
  },
  approveAudience: {
    method: 'POST',
    path: '/v1/audiences/{audienceId}/approval',
    access: 'staff',
    summary:
      'Approve a draft: it freezes (every prospect walked once, the members kept), then never changes; approving again changes nothing, or resumes a failed freezing (campaign manager)',
    function: 'keepAudiences',
    request: { params: audiencePath },
    responses: {
      202: { description: 'Freezing, or already frozen', schema: AudienceView },
      403: failure('Only campaign managers approve audiences'),
      404: notFound,
      409: failure('`discarded`: a discarded audience is not approved'),
    },
  },
  listAudienceMembers: {
    method: 'GET',
    path: '/v1/audiences/{audienceId}/members',
    access: 'staff',
    summary: `The members of a frozen audience by prospect id, a page at a time ${readers}`,
    function: 'keepAudiences',
    request: { params: audiencePath, query: MembersQuery },
    responses: {
      200: { description: 'A page of members', schema: MembersPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('The role may not read audiences'),
      404: notFound,
      409: failure('`not_frozen`: the audience has no final members yet'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
