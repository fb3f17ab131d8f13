import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What the engineer on call is told about: one alerts topic, alarms on every dead-letter queue and failure. */
export class Operations extends Construct {
  readonly alerts: Topic;
  readonly alertsKey: Key;
  /** Every alarm is named `<stack>-<id>`, so the grants below can name exactly these alarms. */
  private readonly alarmPrefix: string;

  constructor(scope: Construct, id: string, props: { alarmEmail: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmPrefix = `${stack.stackName}-`;
    const alarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${this.alarmPrefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');

    // Customer-managed: CloudWatch cannot use the AWS-managed alias/aws/sns key, so alarms would never arrive.
    // It protects alarm messages in flight only, nothing durable: it lives and dies with the topic.
    this.alertsKey = new Key(this, 'OpsAlertsKey', {
      description: 'Attract operational alerts topic (SNS server-side encryption)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.alertsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptAlerts',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: alarms,
      }),
    );
    this.alerts = new Topic(this, 'OpsAlerts', {
      displayName: 'Attract operational alerts',
      enforceSSL: true,
      masterKey: this.alertsKey,
    });
    // The topic policy that enforceSSL creates replaces SNS's default one, which let the account's alarms publish.
    this.alerts.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.alerts.topicArn],
        conditions: alarms,
      }),
    );
    if (props.alarmEmail) this.alerts.addSubscription(new EmailSubscription(props.alarmEmail));
  }

  /** A dead-letter queue whose depth raises an alarm as soon as one message lands in it. */
  deadLetterQueue(id: string, purpose: string): Queue {
    const queue = new Queue(this, id, {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue; a message in it raises an alarm for the engineer on call.',
    });
    this.alarmOnAny(
      `${id}Depth`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      `${purpose}: messages are waiting in the dead-letter queue`,
    );
    return queue;
  }

  /** Raises an alarm when the metric's maximum over a minute is at least one. */
  alarmOnAny(id: string, metric: IMetric, description: string): Alarm {
    return this.alarmAtLeast(id, metric, 1, description);
  }

  /**
   * Raises an alarm when one period of the metric (its own statistic and period, e.g. the sum over an
   * hour) reaches the threshold: for a trend, such as a queue of people's work growing.
   */
  alarmAtLeast(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      alarmName: `${this.alarmPrefix}${id}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alerts));
    return alarm;
  }
}
