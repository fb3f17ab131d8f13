import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildAttractApp, STATEFUL_STACK, STATELESS_STACK } from '#infra/attract-app.ts';
import { describeLocalApp } from '#local/assembly.ts';
import { ENV } from '#shared/environment.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
const stateful = Template.fromStack(app.node.findChild(STATEFUL_STACK) as never);
const stateless = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);
const local = describeLocalApp([stateful.toJSON(), stateless.toJSON()] as never, 'eu-central-1');

type State = {
  Type: string;
  Next?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { StringEquals?: string; Next: string }[];
};

describe('the AudienceFreezing state machine', () => {
  const machine = local.stateMachines.find((m) => m.name.includes('AudienceFreezing'));
  const states = (machine?.definition.States ?? {}) as Record<string, State>;

  it('loops over the freezing step until the audience is frozen, and records a failure it cannot retry', () => {
    expect(machine?.definition.StartAt).toBe('FreezePages');
    const step = states.FreezePages;
    // Errors no retry mends go straight to the Catch; anything else is retried from the checkpoint.
    const retries = step?.Retry ?? [];
    const never = retries.findIndex((r) => r.ErrorEquals.includes('AudienceNotFound'));
    const any = retries.findIndex((r) => r.ErrorEquals.includes('States.ALL'));
    expect(retries[never]).toMatchObject({
      ErrorEquals: ['AudienceNotFound', 'ScoringChanged'],
      MaxAttempts: 0,
    });
    expect(never).toBeLessThan(any);
    expect(retries[any]?.MaxAttempts).toBeGreaterThan(0);
    expect(step?.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFreezingFailure' }),
    ]);
    expect(states.RecordFreezingFailure?.Next).toBe('FreezingFailed');
    expect(states.FreezingFailed?.Type).toBe('Fail');
    expect(step?.Next).toBe('IsFrozen');
    const choices = states.IsFrozen?.Choices?.map((c) => [c.StringEquals, c.Next]);
    expect(choices).toEqual([
      ['frozen', 'Frozen'],
      ['freezing', 'FreezePages'],
    ]);
  });

  it('is started by the audiences API alone, which is told its ARN', () => {
    const api = local.functions.find((fn) =>
      fn.logicalId.startsWith('LetterCampaignsAudiencesKeepAudiences'),
    );
    expect(api?.environment[ENV.audienceFreezingStateMachineArn]).toBe(machine?.arn);
    const told = local.functions.filter((fn) => fn.environment[ENV.audienceFreezingStateMachineArn]);
    expect(told.map((fn) => fn.logicalId)).toEqual([api?.logicalId]);
  });
});
