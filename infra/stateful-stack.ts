import { Annotations, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ROLES } from '#shared/access/roles.ts';
import { MANAGERS_INDEX, PENDING_INTAKE_INDEX, PROSPECTS_INDEX, WORK_INDEX } from '#shared/adapters/table.ts';
import { readDeploymentConfig } from './config.ts';

/** How long an uploaded import file is kept: its import has long ended, and it holds personal data. */
export const IMPORT_FILE_DAYS = 3;
/**
 * The imports bucket's ARN is exported under this fixed name: grants on its objects then read the same in
 * every synth, and their cdk-nag acknowledgement can name them (infra/constructs/prospect-imports.ts).
 */
export const IMPORTS_BUCKET_ARN_EXPORT = 'AttractImportsBucketArn';

/**
 * Data that must survive every redeploy of code: the Attract table, the staff directory (Cognito), the
 * key that hashes personal data in the table and signs links sent by email, and the bucket prospect
 * files are uploaded to.
 */
export class AttractStatefulStack extends Stack {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  readonly keySecret: ISecret;
  readonly importsBucket: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Single table; keys and indexes follow docs/data-model.md.
    this.table = new Table(this, 'AttractTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: 'expiresAt',
    });
    this.table.addGlobalSecondaryIndex({
      indexName: MANAGERS_INDEX.name,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
    });
    // Sparse, and keys plus lead id only: the sweeper needs no personal data to restart a workflow.
    this.table.addGlobalSecondaryIndex({
      indexName: PENDING_INTAKE_INDEX.name,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: ['leadId'],
    });
    // Sparse: the work lists of each manager and of the head of unit, with what a list shows and no contacts.
    this.table.addGlobalSecondaryIndex({
      indexName: WORK_INDEX.name,
      partitionKey: { name: 'gsi3pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi3sk', type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...WORK_INDEX.attributes],
    });
    // Sparse and sharded: every prospect once, by id, with what audience filters read (docs/audiences.md).
    this.table.addGlobalSecondaryIndex({
      indexName: PROSPECTS_INDEX.name,
      partitionKey: { name: 'gsi4pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi4sk', type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...PROSPECTS_INDEX.attributes],
    });

    this.userPool = new UserPool(this, 'StaffDirectory', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // Mutable so an admin can correct or assign it later; no app client may write it (see the console client).
      customAttributes: { managerId: new StringAttribute({ mutable: true, maxLen: 64 }) },
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    for (const role of ROLES) this.userPool.addGroup(`Group-${role}`, { groupName: role });
    this.keySecret = this.addKeySecret();
    const config = readDeploymentConfig(this);
    this.consoleClient = this.addConsoleClient(config.consoleUrls);
    this.importsBucket = this.addImportsBucket(config.allowedOrigins);
    this.exportValue(this.importsBucket.bucketArn, { name: IMPORTS_BUCKET_ARN_EXPORT });
  }

  /**
   * Files of prospects, uploaded from the console in a browser with a presigned PUT (hence CORS) and read
   * once by the import job. Nothing public, TLS only, encrypted, and gone after a few days.
   */
  private addImportsBucket(allowedOrigins: string[]): Bucket {
    const bucket = new Bucket(this, 'ImportsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: false,
      lifecycleRules: [
        {
          expiration: Duration.days(IMPORT_FILE_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins,
          allowedHeaders: ['content-type'],
          exposedHeaders: ['etag'],
          maxAge: 600,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Every object is written through a presigned URL the API issued to a signed-in campaign manager (logged with the import), ' +
        'read only by the import job, and expires in days; server access logs would add a second bucket of copies of those requests.',
    });
    return bucket;
  }

  /**
   * The HMAC key of emails, INNs and client addresses stored in the table, and of signed links. CloudFormation
   * generates it, so no person ever sees it; it outlives the stack, like the hashes made with it.
   */
  private addKeySecret(): ISecret {
    const secret = new Secret(this, 'AttractKeys', {
      description: 'Attract: HMAC key of personal data in the table and of signed email links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Not rotated on a schedule: every stored hash (emails, INNs, client addresses) is keyed with it, so a new key ' +
        'would silently stop duplicates from matching. Rotating it needs a re-keying job that rehashes the table first.',
    });
    return secret;
  }

  /**
   * The staff console signs in with the authorization code flow and PKCE: a public client (no secret), no
   * implicit flow, only the console's own URLs. Tokens carry what the console shows and the API authorizes
   * on; staff cannot change who they are (email) or which manager they are (`custom:managerId`).
   */
  private addConsoleClient(consoleUrls: string[]): UserPoolClient {
    if (consoleUrls.every((url) => new URL(url).hostname === 'localhost'))
      Annotations.of(this).addWarningV2(
        'attract:consoleUrlsLocalOnly',
        'attract:consoleUrls names only localhost: set the console address before deploying for staff.',
      );
    return this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: consoleUrls.map((url) => `${url}/callback`),
        logoutUrls: consoleUrls.map((url) => `${url}/`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true })
        .withCustomAttributes('managerId'),
      // Only the staff member's own language; an unset or empty list would let them rewrite their email.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
  }
}
