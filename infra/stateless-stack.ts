import { Annotations, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Archive, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { CloudWatchLogGroup } from 'aws-cdk-lib/aws-events-targets';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LEAD_EVENT_SOURCE } from '#events/lead-events.ts';
import { ENV } from '#shared/environment.ts';
import { apiRoutes } from '#shared/http/routes.ts';
import type { DeploymentConfig } from './config.ts';
import { AdSpend } from './constructs/ad-spend.ts';
import { AttractApi } from './constructs/attract-api.ts';
import { AttractFunction } from './constructs/attract-function.ts';
import { CampaignSending } from './constructs/campaign-sending.ts';
import { Consents } from './constructs/consents.ts';
import { LeadIntake } from './constructs/lead-intake.ts';
import { LetterCampaigns } from './constructs/letter-campaigns.ts';
import { ManagerUnit } from './constructs/manager-unit.ts';
import { OpenDays } from './constructs/open-days.ts';
import { Operations } from './constructs/operations.ts';
import { Referrals } from './constructs/referrals.ts';
import { IMPORTS_BUCKET_ARN_EXPORT } from './stateful-stack.ts';

export interface AttractStatelessStackProps extends StackProps {
  readonly table: Table;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The key of hashed personal data and signed links (the stateful stack keeps it). */
  readonly keySecret: ISecret;
  /** Where files of prospects are uploaded (the stateful stack keeps it). */
  readonly importsBucket: IBucket;
  readonly config: DeploymentConfig;
}

/** Code and wiring, safe to redeploy at any time: API, functions, workflows, the event bus, alarms. */
export class AttractStatelessStack extends Stack {
  constructor(scope: Construct, id: string, props: AttractStatelessStackProps) {
    super(scope, id, props);
    const { table, keySecret, config } = props;
    const operations = new Operations(this, 'Operations', { alarmEmail: config.alarmEmail });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The AWS managed basic execution role only lets a function write its own logs; a copy of it would add nothing.',
    });

    const bus = new EventBus(this, 'AttractBus', { eventBusName: 'attract' });
    new Archive(this, 'AttractBusArchive', {
      sourceEventBus: bus,
      eventPattern: { source: [LEAD_EVENT_SOURCE] },
      retention: Duration.days(365),
    });
    // Every lead event lands in an audit log; analytics and core-banking consumers add their own rules.
    new Rule(this, 'LeadEventsAudit', {
      eventBus: bus,
      eventPattern: { source: [LEAD_EVENT_SOURCE] },
      targets: [
        new CloudWatchLogGroup(
          new LogGroup(this, 'LeadEventsLog', {
            retention: RetentionDays.ONE_YEAR,
            removalPolicy: RemovalPolicy.RETAIN,
          }),
          {
            deadLetterQueue: operations.deadLetterQueue(
              'LeadEventsAuditDlq',
              'Lead events that missed the audit log',
            ),
            retryAttempts: 8,
          },
        ),
      ],
    });

    // CDK lets EventBridge write the audit log through a CloudWatch Logs resource policy, set by a custom
    // resource whose PutResourcePolicy takes no narrower resource.
    for (const child of this.node.children.filter((c) => c.node.id.startsWith('EventsLogGroupPolicy'))) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'logs:PutResourcePolicy and logs:DeleteResourcePolicy have no resource-level permissions.',
      });
    }

    const leadIntake = new LeadIntake(this, 'LeadIntake', { table, keySecret, bus, operations, config });

    if (config.acceptanceSla !== 'standard') {
      Annotations.of(this).addWarningV2(
        'attract:acceptanceSlaNotStandard',
        `attract:acceptanceSla is ${config.acceptanceSla}: its times are calendar seconds, for tests and the bench; deploy for staff with standard.`,
      );
    }
    const managerUnit = new ManagerUnit(this, 'ManagerUnit', {
      table,
      bus,
      keySecret,
      leadIntake: leadIntake.stateMachine,
      acceptanceSla: config.acceptanceSla,
      operations,
      unitAlerts: config,
    });

    // The bucket's ARN by its fixed export name, so the grants on its objects can be acknowledged by name.
    const importsBucket = Bucket.fromBucketAttributes(this, 'ImportsBucket', {
      bucketName: props.importsBucket.bucketName,
      bucketArn: Fn.importValue(IMPORTS_BUCKET_ARN_EXPORT),
    });
    const letters = new LetterCampaigns(this, 'LetterCampaigns', {
      table,
      keySecret,
      importsBucket,
      operations,
      ...(config.trustedProxies ? { trustedProxies: config.trustedProxies } : {}),
    });
    const campaigns = new CampaignSending(this, 'CampaignSending', {
      table,
      keySecret,
      operations,
      senderEmail: config.senderEmail,
      sending: letters.sending,
      campaignTeam: config,
    });

    const openDays = new OpenDays(this, 'OpenDays', { table, keySecret, config, operations });
    const consents = new Consents(this, 'Consents', {
      table,
      keySecret,
      ...(config.trustedProxies ? { trustedProxies: config.trustedProxies } : {}),
    });

    const adSpend = new AdSpend(this, 'AdSpend', { table, bus });
    const referrals = new Referrals(this, 'Referrals', {
      table,
      keySecret,
      landingPage: config.referralLandingPage,
      bus,
      operations,
      senderEmail: config.senderEmail,
    });

    const api = new AttractApi(this, 'Api', {
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      operations,
      allowedOrigins: config.allowedOrigins,
    });
    // The routes are the route table's; each function key maps to the construct that serves it.
    // The links in a manager's email lead back to this API.
    leadIntake.notifyManager.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    // Each letter's unsubscribe link leads back to this API.
    campaigns.sendLetters.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    // The head of unit's alert names the routes to act with, under the API's address.
    managerUnit.notifyHeadOfUnit.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    // So does the campaign team's email, to read, resume or cancel the campaign.
    campaigns.notifyCampaignTeam.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    // The referrer's status links are on this API.
    for (const fn of [referrals.keepReferrals, referrals.recordConversion]) {
      fn.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    }
    // Registrants' emails link to their registration's page on this API.
    for (const fn of [openDays.registrations, openDays.sweep, openDays.openDayRun.run]) {
      fn.addEnvironment(ENV.apiUrl, api.httpApi.apiEndpoint);
    }
    api.addRoutes(apiRoutes(), {
      captureLead: leadIntake.captureLead,
      readLead: leadIntake.readLead,
      readLeadHistory: leadIntake.readLeadHistory,
      issueInvitation: leadIntake.issueInvitation,
      listLeadReads: leadIntake.listLeadReads,
      keepRoster: managerUnit.keepRoster,
      decideOnLead: managerUnit.decideOnLead,
      answerByLink: managerUnit.answerByLink,
      assignByHand: managerUnit.assignByHand,
      listWork: managerUnit.listWork,
      readUnit: managerUnit.readUnit,
      keepOffers: letters.keepOffers,
      keepCampaigns: campaigns.keepCampaigns,
      unsubscribe: letters.links.unsubscribe,
      keepAudiences: letters.audiences.keepAudiences,
      keepProspectImports: letters.prospectImports.keepImports,
      keepOpenDays: openDays.keepOpenDays,
      openDayRegistrations: openDays.registrations,
      keepConsents: consents.keepConsents,
      consentWithdrawalLink: consents.withdrawalLink,
      keepAdSpend: adSpend.keepAdSpend,
      keepReferrals: referrals.keepReferrals,
      referralStatusLink: referrals.statusLink,
      describeApi: new AttractFunction(this, 'DescribeApi', {
        entry: 'functions/api/openapi.ts',
        description:
          "GET /openapi.json and /v1/embed.js: the API's description (from the route table and zod schemas) and the bank site's form script",
      }),
    });
  }
}
