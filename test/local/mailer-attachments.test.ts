import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT } from '#local/assembly.ts';
import { LocalIam } from '#local/iam.ts';
import { IamGateway } from '#local/iam-gateway.ts';
import { freePort, type LocalProcess, startSesLocal } from '#local/processes.ts';
import { LocalSesAccount } from '#local/ses-account.ts';
import { Mailer } from '#shared/adapters/mailer.ts';
import { roleAllowing } from './fixtures/roles.ts';

const REGION = 'eu-central-1';
const SENDER = 'open-days@bank.example';

let emulator: LocalProcess;
let mailer: Mailer;
const closing: (() => Promise<void>)[] = [];

// The path a Lambda's send takes locally: the IAM gateway, the SES account in front of the emulator, the
// emulator's mailbox.
beforeAll(async () => {
  emulator = await startSesLocal({ port: await freePort() });
  const ses = new LocalSesAccount({
    mailbox: emulator.endpoint,
    configurationSets: [],
    publish: async () => {},
    region: REGION,
    account: LOCAL_ACCOUNT,
  });
  const gateway = new IamGateway({
    iam: new LocalIam([
      roleAllowing(
        'OpenDayMailerRole',
        ['ses:SendEmail'],
        [`arn:aws:ses:${REGION}:${LOCAL_ACCOUNT}:identity/bank.example`],
      ),
    ]),
    upstreams: { ses: await ses.listen() },
    region: REGION,
    account: LOCAL_ACCOUNT,
  });
  const endpoint = await gateway.listen();
  const role = `arn:aws:iam::${LOCAL_ACCOUNT}:role/OpenDayMailerRole`;
  const client = new SESv2Client({
    region: REGION,
    endpoint,
    credentials: gateway.credentialsFor(role, 'OpenDayMailerRole'),
    maxAttempts: 1,
  });
  mailer = new Mailer(client, SENDER);
  closing.push(
    async () => client.destroy(),
    () => gateway.close(),
    () => ses.close(),
  );
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await emulator?.stop();
});

type Stored = {
  messageId: string;
  destination: { to: string[] };
  attachments: { content: string; contentType: string; filename?: string; size: number }[];
};

describe('an attachment sent through the Mailer', () => {
  it('arrives whole in the local mailbox: its name, its media type, and every byte of its UTF-8 text', async () => {
    // A calendar invite's kind of text: CRLF line ends, a folded line, Cyrillic, escaped commas.
    const invite = [
      'BEGIN:VCALENDAR',
      'METHOD:REQUEST',
      'BEGIN:VEVENT',
      'SUMMARY:День открытых дверей\\, «Ромашка»\\; весна',
      'DESCRIPTION:Длинное описание',
      ' продолжается на следующей строке',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const to = 'olga.attachments@romashka.example';
    const contentType = 'text/calendar; charset=UTF-8; method=REQUEST';

    const messageId = await mailer.send({
      to,
      subject: 'Вы зарегистрированы',
      html: '<p>Приглашение во вложении</p>',
      text: 'Приглашение во вложении',
      attachments: [{ fileName: 'invite.ics', contentType, content: invite }],
    });

    const store = (await (await fetch(`${emulator.endpoint}/store`)).json()) as { emails: Stored[] };
    const stored = store.emails.find((e) => e.messageId === messageId);
    expect(stored?.destination.to).toEqual([to]);
    expect(stored?.attachments).toHaveLength(1);
    const [file] = stored?.attachments ?? [];
    expect(file).toMatchObject({ filename: 'invite.ics', contentType });
    expect(Buffer.from(file?.content ?? '', 'base64').toString('utf8')).toBe(invite);
    expect(file?.size).toBe(Buffer.byteLength(invite, 'utf8'));
  });

  it('sends no attachment part when the email has none', async () => {
    const to = 'ivan.attachments@romashka.example';
    const messageId = await mailer.send({ to, subject: 'Без вложений', html: '<p>—</p>', text: '—' });
    const store = (await (await fetch(`${emulator.endpoint}/store`)).json()) as { emails: Stored[] };
    expect(store.emails.find((e) => e.messageId === messageId)?.attachments).toEqual([]);
  });
});
