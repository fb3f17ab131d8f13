import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetAccountCommand,
  SESv2Client,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesEvent } from '#events/ses-events.ts';
import { LETTER_CONFIGURATION_SET } from '#infra/constructs/letter-sending.ts';
import { describeLocalApp, LOCAL_ACCOUNT, type LocalApp, synthesizeTemplates } from '#local/assembly.ts';
import { LocalEventBus } from '#local/event-bus.ts';
import { LocalIam } from '#local/iam.ts';
import { IamGateway } from '#local/iam-gateway.ts';
import { freePort, type LocalProcess, startSesLocal } from '#local/processes.ts';
import { LocalQueues } from '#local/queues.ts';
import { LocalSesAccount, type SesQuota } from '#local/ses-account.ts';
import { sesRoute } from '#local/ses-faults.ts';
import { roleAllowing } from './fixtures/roles.ts';

const REGION = 'eu-central-1';
const arn = (rest: string) => `arn:aws:ses:${REGION}:${LOCAL_ACCOUNT}:${rest}`;
const SENDER = 'letters@bank.example';

let app: LocalApp;
let emulator: LocalProcess;
let bus: LocalEventBus;
let busClient: EventBridgeClient;
const delivered: { target: string; event: unknown }[] = [];
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'attract-ses-'));
  app = describeLocalApp(synthesizeTemplates({}, outdir), REGION);
  rmSync(outdir, { recursive: true, force: true });
  emulator = await startSesLocal({ port: await freePort() });
  // The synthesized rules on a local bus; a delivery is what the rule's Lambda target would get.
  bus = new LocalEventBus({
    rules: app.rules,
    queues: new LocalQueues(),
    deliver: async (target, event) => void delivered.push({ target, event }),
  });
  const busUrl = await bus.listen(await freePort());
  busClient = new EventBridgeClient({
    region: REGION,
    endpoint: busUrl,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  busClient?.destroy();
  await bus?.close();
  await emulator?.stop();
});

/** An SES account with this quota and clock, behind an IAM gateway; clients sign as the roles below. */
async function accountWith(quota: Partial<SesQuota>, now?: () => number) {
  const ses = new LocalSesAccount({
    mailbox: emulator.endpoint,
    configurationSets: app.configurationSets,
    quota,
    publish: async (entries) => void (await busClient.send(new PutEventsCommand({ Entries: entries }))),
    region: REGION,
    account: LOCAL_ACCOUNT,
    ...(now ? { now } : {}),
  });
  const upstream = await ses.listen();
  const roles = [
    roleAllowing(
      'LetterSenderRole',
      ['ses:SendEmail'],
      [arn('identity/bank.example'), arn(`configuration-set/${LETTER_CONFIGURATION_SET}`)],
    ),
    roleAllowing('QuotaReaderRole', ['ses:GetAccount'], ['*']),
    roleAllowing('PlainSenderRole', ['ses:SendEmail'], [arn('identity/bank.example')]),
  ];
  const gateway = new IamGateway({
    iam: new LocalIam(roles),
    upstreams: { ses: upstream },
    region: REGION,
    account: LOCAL_ACCOUNT,
  });
  const endpoint = await gateway.listen();
  const client = (role: string) => {
    const credentials = gateway.credentialsFor(`arn:aws:iam::${LOCAL_ACCOUNT}:role/${role}`, role);
    // One attempt: the test sees SES's answer, not the SDK's retries of it.
    const c = new SESv2Client({ region: REGION, endpoint, credentials, maxAttempts: 1 });
    closing.push(async () => c.destroy());
    return c;
  };
  closing.push(
    () => gateway.close(),
    () => ses.close(),
  );
  return {
    ses,
    sender: client('LetterSenderRole'),
    reader: client('QuotaReaderRole'),
    plain: client('PlainSenderRole'),
  };
}

const letter = (to: string[], more: Partial<SendEmailCommandInput> = {}) =>
  new SendEmailCommand({
    FromEmailAddress: `Банк <${SENDER}>`,
    Destination: { ToAddresses: to },
    Content: {
      Simple: {
        Subject: { Data: 'Предложение о сотрудничестве' },
        Body: { Text: { Data: 'Текст письма' } },
        Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
      },
    },
    ...more,
  });
const withSet = { ConfigurationSetName: LETTER_CONFIGURATION_SET };

/** The error a call was refused with, its name and HTTP status as the SDK reports them. */
async function refusalOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
  );
  if (!error) throw new Error('Expected the call to be refused, it passed');
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

const mailboxSubjectsTo = async (address: string) => {
  const store = (await (await fetch(`${emulator.endpoint}/store`)).json()) as {
    emails: { destination: { to: string[] } }[];
  };
  return store.emails.filter((e) => e.destination.to.includes(address)).length;
};

describe('the local SES account', () => {
  it('answers GetAccount with its quota and the recipients sent in the last day, and only to a role allowed it', async () => {
    const { reader, sender, plain } = await accountWith({ maxSendRate: 3, max24HourSend: 500 });
    const before = await reader.send(new GetAccountCommand({}));
    expect(before).toMatchObject({
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      SendQuota: { MaxSendRate: 3, Max24HourSend: 500, SentLast24Hours: 0 },
    });
    await sender.send(letter(['olga@romashka.example', 'ivan@romashka.example']));
    // The simulator's recipients count against the rate, not the daily quota, as in SES.
    await sender.send(letter(['success@simulator.amazonses.com']));
    const after = await reader.send(new GetAccountCommand({}));
    expect(after.SendQuota?.SentLast24Hours).toBe(2);
    expect(await refusalOf(plain.send(new GetAccountCommand({})))).toMatchObject({
      name: 'AccessDeniedException',
      status: 403,
    });
  });

  it('refuses a send above the maximum rate in one second as SESv2 does, and takes it the next second', async () => {
    let clock = Date.parse('2026-12-01T09:00:00.000Z');
    const { sender } = await accountWith({ maxSendRate: 2 }, () => clock);
    await sender.send(letter(['a@romashka.example']));
    await sender.send(letter(['b@romashka.example']));
    expect(await refusalOf(sender.send(letter(['c@romashka.example'])))).toEqual({
      name: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
      status: 429,
    });
    expect(await mailboxSubjectsTo('c@romashka.example')).toBe(0);
    clock += 999;
    expect(await refusalOf(sender.send(letter(['success@simulator.amazonses.com'])))).toMatchObject({
      name: 'TooManyRequestsException',
    });
    clock += 1;
    expect((await sender.send(letter(['c@romashka.example']))).MessageId).toBeTruthy();
  });

  it('refuses a send over the daily quota, counting recipients; mail to the simulator still goes', async () => {
    let clock = Date.parse('2026-12-01T09:00:00.000Z');
    const { sender, reader } = await accountWith({ maxSendRate: 100, max24HourSend: 3 }, () => clock);
    await sender.send(letter(['d1@romashka.example', 'd2@romashka.example']));
    // Room was left, so the send goes even though it takes the count past the quota, as SES lets it.
    await sender.send(letter(['d3@romashka.example', 'd4@romashka.example']));
    expect(await refusalOf(sender.send(letter(['d5@romashka.example'])))).toEqual({
      name: 'TooManyRequestsException',
      message: 'Daily message quota exceeded.',
      status: 429,
    });
    expect((await sender.send(letter(['bounce@simulator.amazonses.com']))).MessageId).toBeTruthy();
    clock += 86_400_000;
    expect((await sender.send(letter(['d5@romashka.example']))).MessageId).toBeTruthy();
    expect((await reader.send(new GetAccountCommand({}))).SendQuota?.SentLast24Hours).toBe(1);
  });

  it('refuses an unknown configuration set with NotFoundException, and a set the role is not granted with AccessDenied', async () => {
    const { sender, plain } = await accountWith({});
    const unknown = { ConfigurationSetName: 'no-such-set' };
    // The sender's grant names only the letters' set, so IAM refuses another set before SES looks.
    expect(await refusalOf(sender.send(letter(['e@romashka.example'], unknown)))).toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(await refusalOf(plain.send(letter(['f@romashka.example'], withSet)))).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`configuration-set/${LETTER_CONFIGURATION_SET}`),
    });
    expect(await mailboxSubjectsTo('f@romashka.example')).toBe(0);
  });

  it('refuses a configuration set the account does not have, with the SDK error SES gives', async () => {
    const ses = new LocalSesAccount({
      mailbox: emulator.endpoint,
      configurationSets: app.configurationSets,
      publish: async () => {},
      region: REGION,
      account: LOCAL_ACCOUNT,
    });
    const endpoint = await ses.listen();
    closing.push(() => ses.close());
    // Straight to the account (no IAM in between), signed with any key, as the emulator wants a signature.
    const direct = new SESv2Client({
      region: REGION,
      endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    closing.push(async () => direct.destroy());
    expect(
      await refusalOf(direct.send(letter(['g@romashka.example'], { ConfigurationSetName: 'no-such-set' }))),
    ).toEqual({
      name: 'NotFoundException',
      message: 'Configuration set <no-such-set> does not exist.',
      status: 404,
    });
    expect(
      await refusalOf(
        direct.send(
          letter(['g@romashka.example'], { ...withSet, EmailTags: [{ Name: 'send', Value: 'a#1' }] }),
        ),
      ),
    ).toMatchObject({ name: 'BadRequestException', status: 400 });
    expect(await mailboxSubjectsTo('g@romashka.example')).toBe(0);
  });

  it("publishes the simulator's outcomes to the default bus, where the letters' rule hands them to RecordLetterEvent", async () => {
    const { ses, sender } = await accountWith({});
    const recorder = app.functions.find((f) => f.entry === 'functions/letters/record-letter-event.ts');
    const to = [
      'success@simulator.amazonses.com',
      'bounce+p1@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
      'suppressionlist@simulator.amazonses.com',
      'olga.events@romashka.example',
    ];
    const tags = [
      { Name: 'campaign', Value: 'c-events' },
      { Name: 'step', Value: '1' },
      { Name: 'send', Value: 'c-events-1-p1' },
    ];
    const { MessageId } = await sender.send(letter(to, { ...withSet, EmailTags: tags }));
    // Without a configuration set SES publishes nothing.
    await sender.send(letter(['bounce@simulator.amazonses.com']));
    await ses.idle();
    await bus.idle();

    const events = delivered
      .filter((d) => d.target === recorder?.arn)
      .map((d) => SesEvent.parse(d.event))
      .filter((e) => e.detail.mail.messageId === MessageId);
    const { detail: first } = events[0] ?? {};
    expect(first?.mail).toMatchObject({
      destination: to,
      source: `Банк <${SENDER}>`,
      tags: {
        'ses:configuration-set': [LETTER_CONFIGURATION_SET],
        'ses:from-domain': ['bank.example'],
        'ses:caller-identity': ['LetterSenderRole'],
        campaign: ['c-events'],
        step: ['1'],
        send: ['c-events-1-p1'],
      },
    });
    expect(first?.mail.headers).toContainEqual({
      name: 'List-Unsubscribe-Post',
      value: 'List-Unsubscribe=One-Click',
    });
    expect(events.every((e) => e.resources[0] === arn(`configuration-set/${LETTER_CONFIGURATION_SET}`))).toBe(
      true,
    );
    const outcomes = events.map(({ detail }) => {
      if (detail.eventType === 'Bounce')
        return `Bounce ${detail.bounce.bounceType} ${detail.bounce.bounceSubType} ${detail.bounce.bouncedRecipients[0]?.emailAddress}`;
      if (detail.eventType === 'Complaint')
        return `Complaint ${detail.complaint.complainedRecipients[0]?.emailAddress}`;
      if (detail.eventType === 'Delivery') return `Delivery ${detail.delivery.recipients[0]}`;
      return detail.eventType;
    });
    expect(outcomes.sort()).toEqual([
      'Bounce Permanent General bounce+p1@simulator.amazonses.com',
      'Bounce Permanent OnAccountSuppressionList suppressionlist@simulator.amazonses.com',
      'Complaint complaint@simulator.amazonses.com',
      'Delivery complaint@simulator.amazonses.com',
      'Delivery olga.events@romashka.example',
      'Delivery success@simulator.amazonses.com',
      'Send',
    ]);
    // Every event of that send came from the letters' configuration set: none from the send without it.
    expect(delivered.filter((d) => d.target === recorder?.arn)).toHaveLength(events.length);
  });

  it('fails the sends a seeded share of faults falls on, the same ones every run, and the next N sends', async () => {
    const { ses, sender } = await accountWith({ maxSendRate: 1_000 });
    const run = async () => {
      ses.injectFaults({ error: 'throttle', share: 0.3, seed: 42 });
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i++) {
        outcomes.push(
          await sender.send(letter([`h${i}@romashka.example`])).then(
            () => 'sent',
            (e: Error) => e.name,
          ),
        );
      }
      ses.clearFaults();
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain('TooManyRequestsException');
    expect(first.filter((o) => o === 'sent').length).toBeGreaterThan(10);

    ses.injectFaults({ error: 'transient', count: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await refusalOf(sender.send(letter(['k@romashka.example'])))).toMatchObject({
        name: 'InternalFailure',
        status: 500,
      });
    }
    expect((await sender.send(letter(['k@romashka.example']))).MessageId).toBeTruthy();
    expect(ses.usage()).toMatchObject({
      injected: first.filter((o) => o !== 'sent').length * 2 + 2,
      faultsLeft: 0,
    });
  });

  it('takes faults through its local route only in the documented form', async () => {
    const { ses } = await accountWith({});
    expect(sesRoute(ses, 'POST', '/__local/ses/faults', { error: 'throttle' }).status).toBe(400);
    expect(sesRoute(ses, 'POST', '/__local/ses/faults', { error: 'slow', count: 1 }).status).toBe(400);
    expect(sesRoute(ses, 'POST', '/__local/ses/faults', { error: 'transient', share: 1.5 }).status).toBe(400);
    expect(sesRoute(ses, 'POST', '/__local/ses/faults', { error: 'transient', count: 3 })).toEqual({
      status: 200,
      body: { error: 'transient', count: 3 },
    });
    expect(sesRoute(ses, 'GET', '/__local/ses', undefined).body).toMatchObject({ faultsLeft: 3 });
    expect(sesRoute(ses, 'DELETE', '/__local/ses/faults', undefined).status).toBe(200);
    expect(ses.usage().faultsLeft).toBe(0);
  });
});
