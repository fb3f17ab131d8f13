import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { LocalRole } from './assembly.ts';
import { LocalIam } from './iam.ts';
import { type FunctionCredentials, IamGateway, issueCredentials } from './iam-gateway.ts';
import type { ServiceName } from './iam-requests.ts';
import type { LocalBucket } from './local-s3.ts';
import type { SecretName } from './secrets-manager.ts';

type GatewaySettings = {
  roles: LocalRole[];
  upstreams: Record<ServiceName, string>;
  /** Secrets Manager's secrets, so a SecretId given by name is judged on its ARN. */
  secrets: readonly SecretName[];
  region: string;
  account: string;
  secret: Buffer;
  /** S3's buckets, which the gateway serves itself, and where their objects are kept. */
  s3?: { buckets: LocalBucket[]; objectsDir: string };
};

/**
 * The IAM gateway in a thread of its own, so checking and forwarding every function's SDK call does not
 * compete with the HTTP API and the state machines for the main thread. Credentials are issued here,
 * under the key the gateway checks them with.
 */
export class IamGatewayThread {
  readonly url: string;
  private readonly worker: Worker;
  private readonly secret: Buffer;

  private constructor(worker: Worker, url: string, secret: Buffer) {
    this.worker = worker;
    this.url = url;
    this.secret = secret;
  }

  static async start(settings: Omit<GatewaySettings, 'secret'>): Promise<IamGatewayThread> {
    const secret = randomBytes(32);
    const worker = new Worker(new URL(import.meta.url), { workerData: { ...settings, secret } });
    const [url] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([error]) => Promise.reject(error)),
    ])) as [string];
    return new IamGatewayThread(worker, url, secret);
  }

  credentialsFor(roleArn: string, sessionName: string): FunctionCredentials {
    return issueCredentials(this.secret, roleArn, sessionName);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

if (!isMainThread && parentPort && (workerData as Partial<GatewaySettings>)?.roles) {
  const settings = workerData as GatewaySettings;
  const gateway = new IamGateway({ ...settings, iam: new LocalIam(settings.roles) });
  parentPort.postMessage(await gateway.listen());
}
