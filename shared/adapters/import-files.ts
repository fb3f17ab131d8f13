import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ImportFiles, Upload } from '../prospects/import-upload.ts';

/** How long a presigned upload stays valid: enough to send 50 MB from a bank's office. */
export const UPLOAD_EXPIRY_SECONDS = 15 * 60;

const keyOf = (importId: string) => `imports/${importId}`;

/**
 * Import files as S3 objects `imports/<importId>`. The upload is a presigned PUT whose content type and
 * length are signed, so S3 refuses any other file; the object is read back as a stream, never whole.
 */
export class S3ImportFiles implements ImportFiles {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async uploadUrl(importId: string, file: { contentType: string; size: number }): Promise<Upload> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: keyOf(importId),
      ContentType: file.contentType,
      ContentLength: file.size,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: UPLOAD_EXPIRY_SECONDS,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': file.contentType, 'content-length': String(file.size) },
      expiresAt: new Date(Date.now() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString(),
    };
  }

  async describe(importId: string): Promise<{ size: number; contentType: string } | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: keyOf(importId) }),
      );
      return { size: Number(head.ContentLength ?? 0), contentType: head.ContentType ?? '' };
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  }

  async open(importId: string): Promise<AsyncIterable<Uint8Array> & { destroy(): void }> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(importId) }),
    );
    // In Node the body is an IncomingMessage: a Readable, streamed as the parser asks for it.
    return object.Body as Readable;
  }
}
