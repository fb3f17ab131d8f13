import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export type Email = { to: string; subject: string; html: string; text: string };

/**
 * Sends email through SES v2. `Content.Simple` keeps custom headers and attachments whole, in SES and in
 * the local emulator alike (the v1 API keeps only the first recipient there).
 */
export class Mailer {
  private readonly client: SESv2Client;
  private readonly from: string;

  constructor(client: SESv2Client, from: string) {
    this.client = client;
    this.from = from;
  }

  async send(email: Email): Promise<string> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return result.MessageId ?? '';
  }
}
