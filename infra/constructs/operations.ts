import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What the engineer on call is told about: one alerts topic, alarms on every dead-letter queue and failure. */
export class Operations extends Construct {
  readonly alerts: Topic;

  constructor(scope: Construct, id: string, props: { alarmEmail: string }) {
    super(scope, id);
    this.alerts = new Topic(this, 'OpsAlerts', {
      displayName: 'Attract operational alerts',
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
    });
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
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alerts));
    return alarm;
  }
}
