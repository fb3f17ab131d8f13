/**
 * Names of the environment variables the infrastructure gives functions. Shared by infra/ (which sets them)
 * and shared/runtime.ts (which reads them), so the two can never disagree.
 */
export const ENV = {
  tableName: 'ATTRACT_TABLE_NAME',
  eventBusName: 'ATTRACT_EVENT_BUS_NAME',
  leadIntakeStateMachineArn: 'ATTRACT_LEAD_INTAKE_STATE_MACHINE_ARN',
  letterCampaignStateMachineArn: 'ATTRACT_LETTER_CAMPAIGN_STATE_MACHINE_ARN',
  audienceFreezingStateMachineArn: 'ATTRACT_AUDIENCE_FREEZING_STATE_MACHINE_ARN',
  openDayStateMachineArn: 'ATTRACT_OPEN_DAY_STATE_MACHINE_ARN',
  senderEmail: 'ATTRACT_SENDER_EMAIL',
  leadRateLimitPerMinute: 'ATTRACT_LEAD_RATE_LIMIT_PER_MINUTE',
  duplicateWindowDays: 'ATTRACT_DUPLICATE_WINDOW_DAYS',
  trustedProxies: 'ATTRACT_TRUSTED_PROXIES',
  keysSecretArn: 'ATTRACT_KEYS_SECRET_ARN',
  acceptanceSla: 'ATTRACT_ACCEPTANCE_SLA',
  /** Where the PM unit's alerts (a lead waits for the head of unit) go, and in which language. */
  unitMailbox: 'ATTRACT_UNIT_MAILBOX',
  unitMailboxLanguage: 'ATTRACT_UNIT_MAILBOX_LANGUAGE',
  /** Where the campaign team is told a campaign paused itself or completed, and in which language. */
  campaignMailbox: 'ATTRACT_CAMPAIGN_MAILBOX',
  campaignMailboxLanguage: 'ATTRACT_CAMPAIGN_MAILBOX_LANGUAGE',
  /** The bucket prospect import files are uploaded to, and the job that imports them. */
  importsBucketName: 'ATTRACT_IMPORTS_BUCKET_NAME',
  prospectImportStateMachineArn: 'ATTRACT_PROSPECT_IMPORT_STATE_MACHINE_ARN',
  /** The bank's page a referral link opens, with the code in `ref`. */
  referralLandingPage: 'ATTRACT_REFERRAL_LANDING_PAGE',
  /** The API's own address, which links in emails lead back to. */
  apiUrl: 'ATTRACT_API_URL',
  /** The SES configuration set letters are sent with, so SES publishes their events (infra/constructs/letter-sending.ts). */
  letterConfigurationSet: 'ATTRACT_LETTER_CONFIGURATION_SET',
} as const;
