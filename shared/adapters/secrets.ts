import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { setting } from '../runtime.ts';

/**
 * Kept for the life of the execution environment: the key is never rotated (infra/stateful-stack.ts says
 * why), so one read per cold start is enough, and the hot path of a capture makes no extra call.
 */
const KEY_MAX_AGE_SECONDS = 24 * 60 * 60;

/**
 * The HMAC key of personal data in the table (emails, INNs, client addresses) and of signed links, read
 * from the Secrets Manager secret the infrastructure names. Powertools' provider builds a default SDK
 * client, which takes its endpoint from AWS_ENDPOINT_URL as every client here does.
 */
export async function keyMaterial(): Promise<string> {
  const value = await getSecret(setting('keysSecretArn'), { maxAge: KEY_MAX_AGE_SECONDS });
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`The secret ${setting('keysSecretArn')} holds no key string`);
  }
  return value;
}
