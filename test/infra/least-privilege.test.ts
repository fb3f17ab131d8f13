import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeLocalApp, LOCAL_ACCOUNT, synthesizeTemplates } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';

// The roles as the local runtime enforces them: the synthesized policies, resolved to ARNs.
const outdir = mkdtempSync(path.join(tmpdir(), 'attract-iam-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const app = describeLocalApp(synthesizeTemplates({}, outdir), 'eu-central-1');
const iam = new LocalIam(app.roles);
const table = app.tables[0]?.TableName ?? '';
const tableArn = `arn:aws:dynamodb:eu-central-1:${LOCAL_ACCOUNT}:table/${table}`;

const bucket = app.buckets[0]?.name ?? '';
const IMPORT_OBJECTS = `arn:aws:s3:::${bucket}/imports/*`;

const functionNamed = (name: string) => {
  const fn = app.functions.find((f) =>
    f.logicalId
      .match(
        /^(LeadIntake|ManagerUnit|CampaignSending|OpenDays|AdSpend|LetterCampaigns(?:Sending|Links|ProspectImports)?)(.*)/,
      )?.[2]
      ?.startsWith(name),
  );
  if (!fn) throw new Error(`No function ${name}`);
  return fn;
};
const statementsOf = (roleArn: string) =>
  (app.roles.find((r) => r.arn === roleArn)?.policies ?? []).flatMap(
    (p) => [p.document.Statement].flat() as { Action: string | string[]; Resource: string | string[] }[],
  );
const allowed = async (name: string, action: string, resource: string) => {
  const fn = functionNamed(name);
  const decision = await iam.authorize({ roleArn: fn.roleArn, sessionName: name }, action, [resource]);
  return decision.allowed;
};

describe('least privilege for each function', () => {
  // Actions IAM knows no resource for: traces, finding a table's stream, answering a task token, SES's quota.
  const ONLY_ON_ALL = ['dynamodb:ListStreams', 'states:SendTaskSuccess', 'ses:GetAccount'];

  it('lets no function act on every resource but what IAM gives no resource to', () => {
    for (const fn of app.functions) {
      for (const statement of statementsOf(fn.roleArn)) {
        // Import files: one object per import under `imports/`, named by an id the API makes.
        const resources = [statement.Resource].flat().filter((r) => r !== IMPORT_OBJECTS);
        if (!resources.some((r) => r === '*' || r.endsWith('/*'))) continue;
        const unscoped = [statement.Action].flat().filter((a) => !a.startsWith('xray:'));
        expect(unscoped.filter((a) => !ONLY_ON_ALL.includes(a))).toEqual([]);
      }
    }
  });

  it("lets only the managers' answers (API and links) and the head of unit's hand assignment answer a waiting execution, never fail or stop one", async () => {
    const answering: string[] = [];
    for (const fn of app.functions) {
      const decision = await iam.authorize(
        { roleArn: fn.roleArn, sessionName: 'test' },
        'states:SendTaskSuccess',
        ['*'],
      );
      if (decision.allowed) answering.push(fn.logicalId);
    }
    expect(answering.sort()).toEqual([
      expect.stringContaining('AnswerByLink'),
      expect.stringContaining('AssignByHand'),
      expect.stringContaining('DecideOnLead'),
    ]);
    for (const action of ['states:SendTaskFailure', 'states:StopExecution']) {
      for (const fn of ['DecideOnLead', 'AnswerByLink', 'AssignByHand'])
        expect(await allowed(fn, action, '*')).toBe(false);
    }
  });

  it('lets the public capture write and read back its items, never delete or batch-write', async () => {
    for (const action of ['PutItem', 'UpdateItem', 'GetItem']) {
      expect(await allowed('CaptureLead', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['DeleteItem', 'BatchWriteItem', 'Scan', 'Query']) {
      expect(await allowed('CaptureLead', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    expect(await allowed('CaptureLead', 'states:StartExecution', app.stateMachines[0]?.arn ?? '')).toBe(
      false,
    );
  });

  it('lets the ad-spend function put a spend and read a month, never update, delete, scan or read the key', async () => {
    for (const action of ['PutItem', 'Query']) {
      expect(await allowed('KeepAdSpend', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['UpdateItem', 'GetItem', 'DeleteItem', 'Scan', 'BatchWriteItem']) {
      expect(await allowed('KeepAdSpend', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    const fn = functionNamed('KeepAdSpend');
    expect(
      statementsOf(fn.roleArn).some((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue')),
    ).toBe(false);
  });

  it("lets a letter's unsubscribe link withdraw marketing as the withdrawal link does: mark the list, read the history, put its record", async () => {
    for (const action of ['UpdateItem', 'Query', 'PutItem']) {
      expect(await allowed('Unsubscribe', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['GetItem', 'BatchGetItem', 'DeleteItem']) {
      expect(await allowed('Unsubscribe', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    const fn = functionNamed('Unsubscribe');
    const keyGrants = statementsOf(fn.roleArn).filter((s) =>
      [s.Action].flat().includes('secretsmanager:GetSecretValue'),
    );
    expect(keyGrants).toHaveLength(1);
    const bus = `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/attract`;
    expect(await allowed('Unsubscribe', 'events:PutEvents', bus)).toBe(false);
  });

  it("lets the head of unit's views read the work lists and the roster index, never a lead's item", async () => {
    for (const index of ['gsi1', 'gsi3']) {
      for (const fn of ['ReadUnit', ...(index === 'gsi3' ? ['ListWork'] : [])])
        expect(await allowed(fn, 'dynamodb:Query', `${tableArn}/index/${index}`)).toBe(true);
    }
    for (const fn of ['ReadUnit', 'ListWork']) {
      for (const action of ['Query', 'GetItem', 'PutItem', 'UpdateItem'])
        expect(await allowed(fn, `dynamodb:${action}`, tableArn)).toBe(false);
    }
  });

  it("grants DeleteItem only to open days' registrations and sweep, BatchWriteItem only to the import job, and indexes only by name", () => {
    const actionsOf = (fns: typeof app.functions) =>
      fns.flatMap((fn) => statementsOf(fn.roleArn).flatMap((s) => [s.Action].flat()));
    // A place in an open day's waitlist is deleted when its person gets a seat or leaves the line.
    const openDays = [functionNamed('OpenDayRegistrations'), functionNamed('SweepOpenDays')];
    for (const fn of openDays) expect(actionsOf([fn])).toContain('dynamodb:DeleteItem');
    expect(actionsOf(app.functions.filter((fn) => !openDays.includes(fn)))).not.toContain(
      'dynamodb:DeleteItem',
    );
    const job = functionNamed('RunProspectImport');
    expect(actionsOf(app.functions.filter((fn) => fn !== job))).not.toContain('dynamodb:BatchWriteItem');
    const resources = app.functions.flatMap((fn) =>
      statementsOf(fn.roleArn).flatMap((s) => [s.Resource].flat()),
    );
    expect(resources.filter((r) => r.includes('/index/*'))).toEqual([]);
  });

  it("lets KeepOpenDays check people in (the registration's mark, the open day's count) and read the door list, never delete", async () => {
    for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'Query']) {
      expect(await allowed('KeepOpenDays', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    expect(await allowed('KeepOpenDays', 'dynamodb:Query', `${tableArn}/index/gsi1`)).toBe(true);
    expect(await allowed('KeepOpenDays', 'dynamodb:Query', `${tableArn}/index/gsi2`)).toBe(false);
    expect(await allowed('KeepOpenDays', 'dynamodb:DeleteItem', tableArn)).toBe(false);
  });

  it('lets staff reads query and append their audit entry, and only the steps that announce facts publish them', async () => {
    expect(await allowed('ReadLead', 'dynamodb:Query', tableArn)).toBe(true);
    expect(await allowed('ReadLead', 'dynamodb:PutItem', tableArn)).toBe(true);
    expect(await allowed('ReadLead', 'dynamodb:UpdateItem', tableArn)).toBe(false);
    expect(await allowed('ListLeadReads', 'dynamodb:Query', tableArn)).toBe(true);
    expect(await allowed('ListLeadReads', 'dynamodb:PutItem', tableArn)).toBe(false);
    const bus = `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/attract`;
    for (const name of ['AssessLead', 'AssignManager', 'KeepAdSpend']) {
      expect(await allowed(name, 'events:PutEvents', bus)).toBe(true);
    }
    for (const name of ['NotifyManager', 'CaptureLead', 'RecordIntakeFailure']) {
      expect(await allowed(name, 'events:PutEvents', bus)).toBe(false);
    }
    expect(await allowed('AssignManager', 'dynamodb:Query', `${tableArn}/index/gsi1`)).toBe(true);
    expect(await allowed('AssignManager', 'dynamodb:Query', `${tableArn}/index/gsi2`)).toBe(false);
    expect(await allowed('SweepPendingIntake', 'dynamodb:Query', `${tableArn}/index/gsi2`)).toBe(true);
  });

  it('lets the roster function keep managers and their audit, but not touch leads through an index or publish', async () => {
    for (const action of ['GetItem', 'Query', 'UpdateItem', 'PutItem']) {
      expect(await allowed('KeepRoster', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    expect(await allowed('KeepRoster', 'dynamodb:Query', `${tableArn}/index/gsi1`)).toBe(true);
    expect(await allowed('KeepRoster', 'dynamodb:Query', `${tableArn}/index/gsi2`)).toBe(false);
    const bus = `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/attract`;
    expect(await allowed('KeepRoster', 'events:PutEvents', bus)).toBe(false);
  });

  it("lets RecordLetterEvent mark the suppression list and the campaign's records, never query, send or publish", async () => {
    for (const action of ['GetItem', 'PutItem', 'UpdateItem']) {
      expect(await allowed('RecordLetterEvent', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['Query', 'Scan', 'BatchGetItem', 'DeleteItem', 'BatchWriteItem']) {
      expect(await allowed('RecordLetterEvent', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    const secretArn = functionNamed('RecordLetterEvent').environment.ATTRACT_KEYS_SECRET_ARN ?? '';
    expect(await allowed('RecordLetterEvent', 'secretsmanager:GetSecretValue', secretArn)).toBe(true);
    expect(await allowed('RecordLetterEvent', 'ses:SendEmail', '*')).toBe(false);
    expect(await allowed('RecordLetterEvent', 'ses:GetAccount', '*')).toBe(false);
    const bus = `arn:aws:events:eu-central-1:${LOCAL_ACCOUNT}:event-bus/attract`;
    expect(await allowed('RecordLetterEvent', 'events:PutEvents', bus)).toBe(false);
  });

  it('lets the audiences read the prospects only through their index, and write members only by the freezing job or the API', async () => {
    const audiences = (name: string) => {
      const fn = app.functions.find((f) =>
        f.logicalId.match(/^LetterCampaignsAudiences(.*)/)?.[1]?.startsWith(name),
      );
      if (!fn) throw new Error(`No function ${name}`);
      return (action: string, resource: string) =>
        iam.authorize({ roleArn: fn.roleArn, sessionName: name }, action, [resource]).then((d) => d.allowed);
    };
    const [keep, freeze, failure] = ['KeepAudiences', 'FreezeAudience', 'RecordFreezingFailure'].map(
      audiences,
    );
    if (!keep || !freeze || !failure) throw new Error('No audiences functions');
    const machine = app.stateMachines.find((m) => m.arn.includes('AudienceFreezing'))?.arn ?? '';
    const secret = app.secrets[0]?.arn ?? '';
    // The freezing job: the audience's item and a page of members in one transaction, the prospects on GSI4.
    for (const action of ['GetItem', 'UpdateItem', 'PutItem', 'BatchGetItem'])
      expect(await freeze(`dynamodb:${action}`, tableArn)).toBe(true);
    expect(await freeze('dynamodb:Query', `${tableArn}/index/gsi4`)).toBe(true);
    for (const action of ['Query', 'Scan', 'DeleteItem', 'BatchWriteItem'])
      expect(await freeze(`dynamodb:${action}`, tableArn)).toBe(false);
    expect(await freeze('states:StartExecution', machine)).toBe(false);
    // The API: audiences, members and the list (GSI1), the preview's walk (GSI4), starting a freezing run.
    for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'BatchGetItem'])
      expect(await keep(`dynamodb:${action}`, tableArn)).toBe(true);
    for (const index of ['gsi1', 'gsi4'])
      expect(await keep('dynamodb:Query', `${tableArn}/index/${index}`)).toBe(true);
    expect(await keep('dynamodb:Query', `${tableArn}/index/gsi3`)).toBe(false);
    expect(await keep('dynamodb:Scan', tableArn)).toBe(false);
    expect(await keep('states:StartExecution', machine)).toBe(true);
    expect(
      await keep(
        'states:StartExecution',
        app.stateMachines.find((m) => m !== undefined && !m.arn.includes('AudienceFreezing'))?.arn ?? '',
      ),
    ).toBe(false);
    // The failure step only marks the audience.
    expect(await failure('dynamodb:UpdateItem', tableArn)).toBe(true);
    for (const action of ['GetItem', 'PutItem', 'Query'])
      expect(await failure(`dynamodb:${action}`, tableArn)).toBe(false);
    // The key hashes addresses for the last-contacted filter; the failure step has no use for it.
    expect(await keep('secretsmanager:GetSecretValue', secret)).toBe(true);
    expect(await freeze('secretsmanager:GetSecretValue', secret)).toBe(true);
    expect(await failure('secretsmanager:GetSecretValue', secret)).toBe(false);
  });

  it('sends a sweep that still fails after Lambda retries it to a dead-letter queue', () => {
    const sweeper = functionNamed('SweepPendingIntake');
    expect(sweeper.asyncInvoke.maximumRetryAttempts).toBe(2);
    expect(app.queues.map((q) => q.arn)).toContain(sweeper.asyncInvoke.onFailureArn);
  });

  it('lets the campaign sender record letters and send as the bank, never scan, batch-write or start a run', async () => {
    for (const action of ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem']) {
      expect(await allowed('SendLetters', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    for (const action of ['Scan', 'BatchWriteItem', 'DeleteItem']) {
      expect(await allowed('SendLetters', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    expect(await allowed('SendLetters', 'ses:GetAccount', '*')).toBe(true);
    for (const machine of app.stateMachines) {
      expect(await allowed('SendLetters', 'states:StartExecution', machine.arn)).toBe(false);
    }
  });

  it("lets the campaign team's notifier read campaigns and claim its notice, send as the bank, and nothing of the sender's", async () => {
    for (const action of ['GetItem', 'UpdateItem']) {
      expect(await allowed('NotifyCampaignTeam', `dynamodb:${action}`, tableArn)).toBe(true);
    }
    expect(await allowed('NotifyCampaignTeam', 'dynamodb:Query', `${tableArn}/index/gsi1`)).toBe(true);
    for (const action of ['Query', 'PutItem', 'BatchGetItem', 'Scan', 'BatchWriteItem', 'DeleteItem']) {
      expect(await allowed('NotifyCampaignTeam', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    expect(await allowed('NotifyCampaignTeam', 'ses:GetAccount', '*')).toBe(false);
    expect(
      await allowed('NotifyCampaignTeam', 'secretsmanager:GetSecretValue', app.secrets[0]?.arn ?? ''),
    ).toBe(false);
    for (const machine of app.stateMachines) {
      expect(await allowed('NotifyCampaignTeam', 'states:StartExecution', machine.arn)).toBe(false);
    }
  });

  it('lets the campaigns API start LetterCampaign runs only, and delete nothing', async () => {
    for (const machine of app.stateMachines) {
      expect(await allowed('KeepCampaigns', 'states:StartExecution', machine.arn)).toBe(
        machine.name.includes('LetterCampaignStateMachine'),
      );
    }
    for (const action of ['DeleteItem', 'Scan', 'BatchWriteItem']) {
      expect(await allowed('KeepCampaigns', `dynamodb:${action}`, tableArn)).toBe(false);
    }
    expect(await allowed('KeepCampaigns', 'ses:SendEmail', '*')).toBe(false);
  });

  it('lets the import API presign uploads and start the job, and only the job read files and write prospects', async () => {
    const file = `arn:aws:s3:::${bucket}/imports/some-import`;
    const job = app.stateMachines.find((m) => m.name.includes('ProspectImport'))?.arn ?? '';
    expect(await allowed('KeepProspectImports', 's3:PutObject', file)).toBe(true);
    expect(await allowed('KeepProspectImports', 's3:GetObject', file)).toBe(true);
    expect(await allowed('KeepProspectImports', 's3:ListBucket', `arn:aws:s3:::${bucket}`)).toBe(true);
    expect(await allowed('KeepProspectImports', 's3:PutObject', `arn:aws:s3:::${bucket}/other/x`)).toBe(
      false,
    );
    expect(await allowed('KeepProspectImports', 's3:DeleteObject', file)).toBe(false);
    expect(await allowed('KeepProspectImports', 'states:StartExecution', job)).toBe(true);
    expect(await allowed('KeepProspectImports', 'dynamodb:BatchWriteItem', tableArn)).toBe(false);
    expect(await allowed('RunProspectImport', 's3:GetObject', file)).toBe(true);
    expect(await allowed('RunProspectImport', 's3:PutObject', file)).toBe(false);
    for (const action of ['BatchWriteItem', 'BatchGetItem', 'GetItem', 'UpdateItem'])
      expect(await allowed('RunProspectImport', `dynamodb:${action}`, tableArn)).toBe(true);
    for (const action of ['PutItem', 'Query', 'DeleteItem'])
      expect(await allowed('RunProspectImport', `dynamodb:${action}`, tableArn)).toBe(false);
    expect(await allowed('RunProspectImport', 'states:StartExecution', job)).toBe(false);
    expect(await allowed('RecordImportFailure', 'dynamodb:UpdateItem', tableArn)).toBe(true);
    expect(await allowed('RecordImportFailure', 's3:GetObject', file)).toBe(false);
  });
});
