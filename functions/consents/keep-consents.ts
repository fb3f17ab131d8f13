import { Keys } from '#shared/access/keys.ts';
import { keyMaterial } from '#shared/adapters/secrets.ts';
import { consentDeps } from '#shared/composition-consents.ts';
import {
  ConsentHistoryQuery,
  ConsentTextsQuery,
  historyEntryOf,
  textPath,
  WithdrawalBody,
} from '#shared/consents/consent-api.ts';
import { consentHistoryOf, publishConsentText, withdrawOnBehalf } from '#shared/consents/keep-consents.ts';
import { InvalidConsentCursor } from '#shared/consents/ports.ts';
import {
  apiHandler,
  HttpError,
  parseJsonBody,
  parseQuery,
  pathOf,
  reply,
  staffOnly,
} from '#shared/http/api.ts';
import { API_ROUTES } from '#shared/http/routes.ts';
import { formatIssues } from '#shared/leads/lead-submission.ts';
import { logger } from '#shared/runtime.ts';

// The key secret is read once, while the execution environment starts: a missing grant fails the init.
const deps = consentDeps(Keys.derive(await keyMaterial()));

const invalidFields = (issues: { path: string; message: string }[]) =>
  new HttpError(400, 'validation_failed', 'The request has invalid fields', { issues });

/**
 * The consents routes for compliance officers (docs/consents.md): the texts (`/v1/consent-texts`), a
 * withdrawal on a person's behalf and a person's history (`/v1/consents`). No address is logged.
 */
export const handler = apiHandler(
  async (event) => {
    const by = event.staff?.userId ?? '';
    try {
      switch (event.routeKey) {
        case 'POST /v1/consent-texts': {
          const published = await publishConsentText(deps, by, parseJsonBody(event, 64 * 1024));
          if (published.kind === 'invalid') throw invalidFields(published.issues);
          if (published.kind === 'exists') {
            throw new HttpError(
              409,
              'version_taken',
              'This version id names another text; publish a new version',
            );
          }
          logger.info('Consent text published', { version: published.text.version });
          return reply(API_ROUTES.publishConsentText, 201, published.text);
        }
        case 'GET /v1/consent-texts': {
          const query = parseQuery(ConsentTextsQuery, event);
          const page = await deps.texts.list(query);
          return reply(API_ROUTES.listConsentTexts, 200, { texts: page.texts, next: page.next ?? null });
        }
        case 'GET /v1/consent-texts/{version}': {
          const { version } = pathOf(textPath, event, 'No such version');
          const text = (await deps.texts.find([version])).get(version);
          if (!text) throw new HttpError(404, 'not_found', 'No such version');
          return reply(API_ROUTES.readConsentText, 200, text);
        }
        case 'POST /v1/consents/withdrawals': {
          const body = WithdrawalBody.safeParse(parseJsonBody(event, 4 * 1024));
          if (!body.success) throw invalidFields(formatIssues(body.error));
          const withdrawal = await withdrawOnBehalf(deps, by, body.data);
          logger.info('Consent withdrawn on behalf', { purposes: withdrawal.withdrawn });
          return reply(API_ROUTES.withdrawConsent, 200, withdrawal);
        }
        default: {
          const { email, ...page } = parseQuery(ConsentHistoryQuery, event);
          const read = await consentHistoryOf(deps, email, page);
          return reply(API_ROUTES.readConsentHistory, 200, {
            entries: read.entries.map(historyEntryOf),
            next: read.next ?? null,
          });
        }
      }
    } catch (error) {
      if (error instanceof InvalidConsentCursor) {
        throw invalidFields([{ path: 'query.after', message: 'Not a cursor an earlier page handed out' }]);
      }
      throw error;
    }
  },
  staffOnly(['compliance_officer']),
);
