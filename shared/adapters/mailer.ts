import { type Attachment, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

import type { Email, EmailAttachment, Mail } from '../leads/ports.ts';

/**
 * An attachment as SES v2 takes it: the text's UTF-8 bytes (the SDK base64-encodes them on the wire), and
 * base64 in the message too, because SES's default (7bit) cannot carry Cyrillic.
 */
const sesAttachment = (file: EmailAttachment): Attachment => ({
  FileName: file.fileName,
  ContentType: file.contentType,
  RawContent: typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content,
  ContentDisposition: file.inline ? 'INLINE' : 'ATTACHMENT',
  ...(file.inline ? { ContentId: file.inline.contentId } : {}),
  ContentTransferEncoding: 'BASE64',
});

/**
 * Sends email through SES v2. `Content.Simple` keeps custom headers and attachments whole, in SES and in
 * the local emulator alike (the v1 API keeps only the first recipient there). Tags go to SES event
 * publishing (the local emulator accepts and drops them); headers travel with the message.
 */
export class Mailer implements Mail {
  private readonly client: SESv2Client;
  private readonly from: string;
  private readonly configurationSet: string | undefined;

  /** With a configuration set, SES publishes the message's events (delivery, bounce, complaint). */
  constructor(client: SESv2Client, from: string, configurationSet?: string) {
    this.client = client;
    this.from = from;
    this.configurationSet = configurationSet;
  }

  async send(email: Email): Promise<string> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
            ...(email.headers
              ? { Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })) }
              : {}),
            ...(email.attachments?.length ? { Attachments: email.attachments.map(sesAttachment) } : {}),
          },
        },
        ...(email.tags
          ? { EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })) }
          : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES answered without a message id');
    return result.MessageId;
  }
}
