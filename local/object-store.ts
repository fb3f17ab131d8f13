import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An object as S3 describes it in a HEAD. */
export type StoredObject = { size: number; contentType: string; etag: string; lastModified: string };

export type PutRefusal = 'IncompleteBody' | 'XAmzContentSHA256Mismatch';

/**
 * The local runtime's objects: a file per object under `<root>/<bucket>/`, named by the hash of its key,
 * beside a small JSON of what S3 keeps with it. Bodies are streamed to and from disk, never held whole;
 * a PUT lands under a temporary name and replaces the object only once all of it has arrived.
 */
export class LocalObjectStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async put(
    bucket: string,
    key: string,
    body: Readable,
    expected: { length: number; contentType: string; sha256?: string },
  ): Promise<{ etag: string } | { refused: PutRefusal }> {
    const file = await this.fileOf(bucket, key);
    const partial = `${file}.${process.pid}.${Date.now()}.part`;
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            md5.update(chunk);
            sha256.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
      if (size !== expected.length) return await refuse(partial, 'IncompleteBody');
      if (expected.sha256 && sha256.digest('hex') !== expected.sha256) {
        return await refuse(partial, 'XAmzContentSHA256Mismatch');
      }
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const etag = `"${md5.digest('hex')}"`;
    const object: StoredObject & { key: string } = {
      key,
      size,
      contentType: expected.contentType || 'binary/octet-stream',
      etag,
      lastModified: new Date().toUTCString(),
    };
    await writeFile(`${partial}.json`, JSON.stringify(object));
    await rename(partial, file);
    await rename(`${partial}.json`, `${file}.json`);
    return { etag };
  }

  async head(bucket: string, key: string): Promise<StoredObject | undefined> {
    try {
      const { size, contentType, etag, lastModified } = JSON.parse(
        await readFile(`${await this.fileOf(bucket, key)}.json`, 'utf8'),
      ) as StoredObject;
      return { size, contentType, etag, lastModified };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async read(bucket: string, key: string): Promise<Readable> {
    return createReadStream(await this.fileOf(bucket, key));
  }

  async delete(bucket: string, key: string): Promise<void> {
    const file = await this.fileOf(bucket, key);
    await rm(`${file}.json`, { force: true });
    await rm(file, { force: true });
  }

  private async fileOf(bucket: string, key: string): Promise<string> {
    const dir = path.join(this.root, bucket);
    await mkdir(dir, { recursive: true });
    return path.join(dir, createHash('sha256').update(key).digest('hex'));
  }
}

async function refuse(partial: string, refusal: PutRefusal): Promise<{ refused: PutRefusal }> {
  await rm(partial, { force: true });
  return { refused: refusal };
}
