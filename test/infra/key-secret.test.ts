import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAttractApp, STATEFUL_STACK, STATELESS_STACK } from '#infra/attract-app.ts';
import { describeLocalApp, synthesizeTemplates } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { ENV } from '#shared/environment.ts';

// Bundling is skipped: these tests check the synthesized definition, not the esbuild output.
const app = buildAttractApp({ context: { 'aws:cdk:bundling-stacks': [] }, nag: false, validation: false });
const statefulStack = app.node.findChild(STATEFUL_STACK);
const stateful = Template.fromStack(statefulStack as never);
const stateless = Template.fromStack(app.node.findChild(STATELESS_STACK) as never);

const [secretId, ...others] = Object.keys(stateful.findResources('AWS::SecretsManager::Secret'));

// The roles as the local runtime enforces them: every policy of both stacks, references resolved to ARNs.
const outdir = mkdtempSync(path.join(tmpdir(), 'attract-keys-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const local = describeLocalApp(synthesizeTemplates({}, outdir), 'eu-central-1');
const iam = new LocalIam(local.roles);

describe('the key secret (AttractKeys)', () => {
  it('is one secret that CloudFormation generates (64 characters, no punctuation) and that outlives the stack', () => {
    expect(secretId).toMatch(/^AttractKeys/);
    expect(others).toEqual([]);
    stateful.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
    });
    // Generated only: no value of it is written into any template.
    expect(
      stateful.findResources('AWS::SecretsManager::Secret')[secretId ?? '']?.Properties,
    ).not.toHaveProperty('SecretString');
  });

  // Capture hashes personal data and checks invitations; IssueInvitation signs invitations; NotifyManager
  // signs the accept and decline links of its emails, and AnswerByLink checks them; Unsubscribe checks a
  // letter's unsubscribe token, RecordLetterEvent hashes the addresses SES reports, and the audiences hash
  // addresses for the last-contacted filter (freezing and preview); RunProspectImport keys prospect ids;
  // SendLetters signs each letter's links; the open days' functions sign and check registration links and
  // check-in codes (KeepOpenDays checks the codes scanned at the door); KeepConsents hashes the email whose
  // history a compliance officer reads or withdraws, and WithdrawalLink checks a signed withdrawal link;
  // KeepReferrals signs a referrer's status link, ReferralStatusLink checks it.
  const KEY_READERS = [
    /^CampaignSendingSendLetters/,
    /^ConsentsKeepConsents/,
    /^ConsentsWithdrawalLink/,
    /^LeadIntakeCaptureLead/,
    /^LeadIntakeIssueInvitation/,
    /^LeadIntakeNotifyManager[0-9A-F]/,
    /^LetterCampaignsAudiencesFreezeAudience/,
    /^LetterCampaignsAudiencesKeepAudiences/,
    /^LetterCampaignsLinksUnsubscribe/,
    /^LetterCampaignsProspectImportsRunProspectImport/,
    /^LetterCampaignsSendingRecordLetterEvent/,
    /^ManagerUnitAnswerByLink/,
    /^OpenDaysKeepOpenDays/,
    /^OpenDaysOpenDayRegistrations/,
    /^OpenDaysRunRunOpenDay/,
    /^OpenDaysSweepOpenDays/,
    /^ReferralsKeepReferrals/,
    /^ReferralsRecordReferralConversion/,
    /^ReferralsReferralStatusLink/,
  ];

  it('gives the functions that hash or sign its ARN, through the stateful stack export, and no other function', () => {
    const exportName = Object.values(
      stateful.toJSON().Outputs as Record<string, { Value: unknown; Export: { Name: string } }>,
    ).find((output) => JSON.stringify(output.Value) === JSON.stringify({ Ref: secretId }))?.Export.Name;
    expect(exportName).toBeDefined();
    const functions = Object.entries(stateless.findResources('AWS::Lambda::Function'));
    const withKey = functions.filter(([, fn]) => fn.Properties.Environment?.Variables?.[ENV.keysSecretArn]);
    expect(withKey.map(([id]) => id).sort()).toEqual(KEY_READERS.map((r) => expect.stringMatching(r)));
    expect(withKey[0]?.[1].Properties.Environment.Variables[ENV.keysSecretArn]).toEqual({
      'Fn::ImportValue': exportName,
    });
  });

  it("may be read by those functions' roles alone, and only its value (GetSecretValue), not described", async () => {
    const secret = local.secrets.find((s) => s.logicalId === secretId);
    if (!secret) throw new Error('The local app has no key secret');
    const capture = local.functions.find((fn) => fn.logicalId.startsWith('LeadIntakeCaptureLead'));
    expect(capture?.environment[ENV.keysSecretArn]).toBe(secret.arn);

    const readers: string[] = [];
    for (const role of local.roles) {
      const caller = { roleArn: role.arn, sessionName: 'probe' };
      if ((await iam.authorize(caller, 'secretsmanager:GetSecretValue', [secret.arn])).allowed)
        readers.push(role.arn);
      expect((await iam.authorize(caller, 'secretsmanager:DescribeSecret', [secret.arn])).allowed).toBe(
        false,
      );
      expect((await iam.authorize(caller, 'secretsmanager:PutSecretValue', [secret.arn])).allowed).toBe(
        false,
      );
    }
    const roleOf = (id: RegExp) => local.functions.find((fn) => id.test(fn.logicalId))?.roleArn;
    expect(readers.sort()).toEqual(KEY_READERS.map(roleOf).sort());
  });

  it('acknowledges AwsSolutions-SMG4 (no rotation) on the secret itself, saying why and what rotation needs', () => {
    const secret = statefulStack.node.findChild('AttractKeys');
    const acknowledged = Object.assign(
      {},
      ...secret.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data),
    ) as Record<string, unknown>;
    // Acknowledgements are recorded as `Annotation::<rule id>` with the reason.
    expect(Object.keys(acknowledged)).toEqual(['Annotation::AwsSolutions-SMG4']);
    const reason = String(acknowledged['Annotation::AwsSolutions-SMG4']);
    expect(reason).toMatch(/hash/);
    expect(reason).toMatch(/re-keying job/);

    const report = new AwsSolutionsChecks(app).validateScope(app) as unknown as {
      violations: { ruleName: string; severity?: string }[];
    };
    expect(report.violations.filter((v) => v.ruleName.startsWith('AwsSolutions-SMG'))).toEqual([]);
  });
});
