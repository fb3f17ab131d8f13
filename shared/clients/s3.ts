import { S3Client } from '@aws-sdk/client-s3';
import { once } from '../runtime.ts';

/**
 * Import files in S3. Its endpoint comes from AWS_ENDPOINT_URL_* as for every client here; where one is
 * set (the local runtime's IAM gateway) the bucket goes in the path, as an endpoint without per-bucket
 * host names needs, and in AWS in the host name. Checksums only where S3 requires them: a presigned PUT
 * must not carry the checksum of an empty body.
 */
export const s3Client = once(
  () =>
    new S3Client({
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
);
