import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATELESS_STACK } from '#infra/attract-app.ts';
import { describeLocalApp, LOCAL_ACCOUNT, synthesizeTemplates } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { ENV } from '#shared/environment.ts';

// The LetterCampaign definition and NotifyCampaignTeam as synthesized, its role as the local runtime enforces it.
const outdir = mkdtempSync(path.join(tmpdir(), 'attract-campaign-team-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = describeLocalApp(synthesizeTemplates({}, outdir), 'eu-central-1');
const notifier = app.functions.find((f) => f.logicalId.startsWith('CampaignSendingNotifyCampaignTeam'));
const machine = app.stateMachines.find((m) => m.name.includes('LetterCampaignStateMachine'));

type State = {
  Type: string;
  Next?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
  Choices?: { Next: string; StringEquals?: string }[];
  Default?: string;
};
const states = (machine?.definition.States ?? {}) as Record<string, State>;

describe('the campaign team told how a LetterCampaign run ended', () => {
  it('calls NotifyCampaignTeam with the ids only before Paused and Completed, and after a failed run is paused', () => {
    const whatNext = states.WhatNext;
    const branch = (outcome: string) => whatNext?.Choices?.find((c) => c.StringEquals === outcome)?.Next;
    expect(branch('paused')).toBe('TellTeamPaused');
    expect(branch('cancelled')).toBe('Cancelled');
    expect(whatNext?.Default).toBe('TellTeamCompleted');
    expect(states.TellTeamPaused?.Next).toBe('Paused');
    expect(states.TellTeamCompleted?.Next).toBe('Completed');
    expect(states.PauseFailedCampaign?.Next).toBe('TellTeamSendingFailed');
    expect(states.TellTeamSendingFailed?.Next).toBe('SendingFailed');
    for (const name of ['TellTeamPaused', 'TellTeamCompleted', 'TellTeamSendingFailed']) {
      const task = states[name];
      expect(task?.Type).toBe('Task');
      expect(notifier?.arn).toMatch(/^arn:aws:lambda:/);
      // The function itself (payloadResponseOnly): the state's input is its payload, ids only.
      expect(task?.Resource).toBe(notifier?.arn);
      expect(task?.Parameters).toEqual({
        'campaignId.$': '$.campaignId',
        'execution.$': '$$.Execution.Name',
      });
      expect(task?.Retry?.map((r) => r.ErrorEquals)).toEqual([
        [
          'Lambda.ClientExecutionTimeoutException',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
        ],
        ['Lambda.TooManyRequestsException'],
        ['States.ALL'],
      ]);
    }
    // Still failing after its retries, the execution fails: the failed-executions alarm reaches on-call.
    expect(states.TellTeamPaused?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.told', Next: 'CampaignTeamNotTold' },
    ]);
    expect(states.TellTeamCompleted?.Catch?.[0]?.Next).toBe('CampaignTeamNotTold');
    expect(states.CampaignTeamNotTold?.Type).toBe('Fail');
    // A failed run fails on its own cause, whether the team could be told or not.
    expect(states.TellTeamSendingFailed?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.told', Next: 'SendingFailed' },
    ]);
    expect(states.SendingFailed).toMatchObject({ Type: 'Fail', CausePath: '$.failure.Cause' });
  });

  it('writes to the campaign mailbox in its language, by default a demo address in Russian, with the API address', () => {
    expect(notifier?.entry).toBe('functions/campaigns/notify-campaign-team.ts');
    expect(notifier?.environment).toMatchObject({
      [ENV.campaignMailbox]: 'campaigns@bank.example',
      [ENV.campaignMailboxLanguage]: 'ru',
      [ENV.senderEmail]: 'attract@bank.example',
    });
    expect(notifier?.environment[ENV.apiUrl]).toMatch(/^http/);
  });

  it('lets it read the campaign, count its responses, claim and record its notice and send as the sender, nothing else', async () => {
    const iam = new LocalIam(app.roles);
    const allowed = async (action: string, resource: string) =>
      (await iam.authorize({ roleArn: notifier?.roleArn ?? '', sessionName: 'test' }, action, [resource]))
        .allowed;
    const tableArn = `arn:aws:dynamodb:eu-central-1:${LOCAL_ACCOUNT}:table/${app.tables[0]?.TableName}`;
    const identity = (name: string) => `arn:aws:ses:eu-central-1:${LOCAL_ACCOUNT}:identity/${name}`;
    for (const action of ['GetItem', 'UpdateItem'])
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(true);
    expect(await allowed('dynamodb:Query', `${tableArn}/index/gsi1`)).toBe(true);
    for (const action of ['Query', 'PutItem', 'Scan', 'BatchGetItem', 'DeleteItem', 'BatchWriteItem']) {
      expect(await allowed(`dynamodb:${action}`, tableArn)).toBe(false);
    }
    for (const index of ['gsi2', 'gsi3', 'gsi4'])
      expect(await allowed('dynamodb:Query', `${tableArn}/index/${index}`)).toBe(false);
    expect(await allowed('ses:SendEmail', identity('attract@bank.example'))).toBe(true);
    expect(await allowed('ses:SendEmail', identity('other@elsewhere.example'))).toBe(false);
    expect(await allowed('ses:GetAccount', '*')).toBe(false);
    expect(await allowed('secretsmanager:GetSecretValue', app.secrets[0]?.arn ?? '*')).toBe(false);
    for (const m of app.stateMachines) expect(await allowed('states:StartExecution', m.arn)).toBe(false);
  });

  it('takes the mailbox and its language from the deployment settings, and refuses a language it has no templates for', () => {
    const stateless = (context: Record<string, unknown>) =>
      Template.fromStack(
        buildAttractApp({
          context: { 'aws:cdk:bundling-stacks': [], ...context },
          nag: false,
          validation: false,
        }).node.findChild(STATELESS_STACK) as never,
      );
    const template = stateless({
      'attract:campaignMailbox': 'marketing@yourbank.example',
      'attract:campaignMailboxLanguage': 'en',
    });
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Metadata: { 'attract:entry': 'functions/campaigns/notify-campaign-team.ts' },
      }),
    );
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      [ENV.campaignMailbox]: 'marketing@yourbank.example',
      [ENV.campaignMailboxLanguage]: 'en',
    });
    expect(() => stateless({ 'attract:campaignMailboxLanguage': 'de' })).toThrow(
      /attract:campaignMailboxLanguage/,
    );
    expect(() => stateless({ 'attract:campaignMailbox': 'not an address' })).toThrow(
      /attract:campaignMailbox/,
    );
  });
});
