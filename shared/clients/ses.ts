import { SESv2Client } from '@aws-sdk/client-sesv2';
import { once } from '../runtime.ts';

/** Email, through SES v2; its endpoint comes from AWS_ENDPOINT_URL_* as for every client here. */
export const sesClient = once(() => new SESv2Client({}));

/** For campaign letters: no SDK retries, so the sender sees, counts and paces every throttled attempt. */
export const letterSesClient = once(() => new SESv2Client({ maxAttempts: 1 }));
