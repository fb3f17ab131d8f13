import type { Keys } from './access/keys.ts';
import { AudienceStore } from './adapters/audience-store.ts';
import { freezingRuns, NamedExecutions } from './adapters/workflow-starter.ts';
import type { AudienceDeps, FreezingStarter } from './audiences/keep-audiences.ts';
import type { FrozenAudiences } from './audiences/ports.ts';
import { documentClient } from './clients/dynamodb.ts';
import { sfnClient } from './clients/sfn.ts';
import { audiences } from './composition.ts';
import { setting } from './runtime.ts';

/** The audiences API: the table, and Step Functions to start the freezing run an approval asks for. */
export const audiencesApiDeps = (
  keys: Keys,
): AudienceDeps & { starter: FreezingStarter; frozen: FrozenAudiences } => ({
  ...audiences(keys),
  frozen: new AudienceStore(documentClient(), setting('tableName')),
  starter: freezingRuns(new NamedExecutions(sfnClient(), setting('audienceFreezingStateMachineArn'))),
});
