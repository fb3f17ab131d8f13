import {
  NewOfferBody,
  NewVersionBody,
  OfferAuditPage,
  OfferAuditQuery,
  OfferDecisionBody,
  OfferPreview,
  OfferVersionView,
  OfferView,
  offerPath,
  PreviewBody,
  RecordedDecision,
  SavedVersion,
  versionPath,
} from '../offers/offer-api.ts';
import { type ApiRoute, failure } from './route-kit.ts';

const invalid = failure(
  'Invalid fields: `issues` name each (`content.ru.html`) with why (an unknown variable, HTML the letter policy refuses, ...)',
);

/** The offers of targeted letters (docs/offers.md): campaign managers write, compliance officers decide. */
export const OFFER_ROUTES = {
  createOffer: {
    method: 'POST',
    path: '/v1/offers',
    access: 'staff',
    summary:
      'Write a new offer with its first version, which awaits a compliance decision (campaign manager)',
    function: 'keepOffers',
    request: { body: NewOfferBody },
    responses: {
      201: { description: 'Created', schema: SavedVersion },
      400: invalid,
      403: failure('Only campaign managers write offers'),
    },
  },
  readOffer: {
    method: 'GET',
    path: '/v1/offers/{offerId}',
    access: 'staff',
    summary:
      'An offer, its latest version and which version is approved (campaign manager, compliance officer)',
    function: 'keepOffers',
    request: { params: offerPath },
    responses: {
      200: { description: 'The offer', schema: OfferView },
      403: failure('The role may not read offers'),
      404: failure('No such offer'),
    },
  },
  saveOfferVersion: {
    method: 'POST',
    path: '/v1/offers/{offerId}/versions',
    access: 'staff',
    summary:
      'Edit an offer: a new version after the one named in `basedOn`; the offer is not approved until it is (campaign manager)',
    function: 'keepOffers',
    request: { params: offerPath, body: NewVersionBody },
    responses: {
      201: { description: 'Saved', schema: SavedVersion },
      400: invalid,
      403: failure('Only campaign managers edit offers'),
      404: failure('No such offer'),
      409: failure('`stale`: `basedOn` is not the latest version any more; read the offer again'),
    },
  },
  readOfferVersion: {
    method: 'GET',
    path: '/v1/offers/{offerId}/versions/{version}',
    access: 'staff',
    summary: 'One version as saved, with its decision (campaign manager, compliance officer)',
    function: 'keepOffers',
    request: { params: versionPath },
    responses: {
      200: { description: 'The version', schema: OfferVersionView },
      403: failure('The role may not read offers'),
      404: failure('No such offer or version'),
    },
  },
  decideOfferVersion: {
    method: 'POST',
    path: '/v1/offers/{offerId}/versions/{version}/decision',
    access: 'staff',
    summary:
      'Approve or reject a version, bound to the hash of the content read; never your own version (compliance officer)',
    function: 'keepOffers',
    request: { params: versionPath, body: OfferDecisionBody },
    responses: {
      200: { description: 'Recorded', schema: RecordedDecision },
      400: invalid,
      403: failure('Only compliance officers decide, and never on a version they wrote'),
      404: failure('No such offer or version'),
      409: failure(
        '`decided`: the version has its decision; `stale`: a newer version exists; `hash_mismatch`: the content is not the one read',
      ),
    },
  },
  previewOfferVersion: {
    method: 'POST',
    path: '/v1/offers/{offerId}/versions/{version}/preview',
    access: 'staff',
    summary:
      'The letter a recipient would get from a version, in their language if the version has it (campaign manager, compliance officer)',
    function: 'keepOffers',
    request: { params: versionPath, body: PreviewBody },
    responses: {
      200: { description: 'The letter', schema: OfferPreview },
      400: invalid,
      403: failure('The role may not read offers'),
      404: failure('No such offer or version'),
    },
  },
  listOfferAudit: {
    method: 'GET',
    path: '/v1/offers/{offerId}/audit',
    access: 'staff',
    summary: 'Who did what to the offer and when, oldest first (campaign manager, compliance officer)',
    function: 'keepOffers',
    request: { params: offerPath, query: OfferAuditQuery },
    responses: {
      200: { description: 'A page of the audit trail', schema: OfferAuditPage },
      400: failure('Invalid query parameters; `issues` name them as `query.*`'),
      403: failure('The role may not read offers'),
      404: failure('No such offer'),
    },
  },
} as const satisfies Record<string, ApiRoute>;
