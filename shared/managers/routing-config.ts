import v1 from './config/routing.v1.json' with { type: 'json' };
import { parseRoutingPolicy } from './routing-policy.ts';

/**
 * The routing policy in force: data the bank tunes (config/routing.v1.json), checked by its schema when
 * the function loads, so a bad edit fails the deployment's first invocation rather than a lead. A change
 * is a new file with a new version; every decision stores the version that drove it.
 */
export const routingPolicy = parseRoutingPolicy(v1);
