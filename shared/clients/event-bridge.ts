import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { once } from '../runtime.ts';

/** Publishes lead events; its endpoint comes from AWS_ENDPOINT_URL_* as for every client here. */
export const eventBridgeClient = once(() => new EventBridgeClient({}));
