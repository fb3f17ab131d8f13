import { SFNClient } from '@aws-sdk/client-sfn';
import { once } from '../runtime.ts';

/** Starts the lead intake workflow; its endpoint comes from AWS_ENDPOINT_URL_* as for every client here. */
export const sfnClient = once(() => new SFNClient({}));
