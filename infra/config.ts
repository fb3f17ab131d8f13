import type { Construct } from 'constructs';
import * as z from 'zod';
import { trustedProxiesOf } from '../shared/access/client-address.ts';
import { ACCEPTANCE_SLA_NAMES, type AcceptanceSlaName } from '../shared/managers/acceptance-sla.ts';
import { LOCALES } from '../shared/templates/locale.ts';

/** An origin as a browser sends it: scheme, host and port only, e.g. https://www.bank.example. */
const Origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}, 'must be an origin such as https://www.bank.example (scheme, host and port; no path, no trailing slash, no *)');

/** A list setting: comma-separated in context or environment, or a JSON list in cdk.json. */
function listSetting<T extends z.ZodType<string>>(item: T, fallback: string[]) {
  return z.preprocess(
    (value) =>
      value === undefined
        ? undefined
        : [value]
            .flat()
            .flatMap((v) => String(v).split(','))
            .map((v) => v.trim())
            .filter(Boolean),
    z
      .array(item)
      .min(1)
      .default(() => fallback as z.output<T>[]),
  );
}

/**
 * Deployment settings a bank tunes, read from CDK context (`cdk.json`, `-c key=value`) and passed to the
 * functions as environment; the local runtime synthesizes with the same keys, so both places agree.
 */
export const DeploymentConfig = z.object({
  /** Verified SES identity that notifications come from. */
  senderEmail: z.email().default('attract@bank.example'),
  /** Lead submissions one client (source IP) may make per minute before 429. */
  leadRateLimitPerMinute: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** A second submission with the same email or company tax ID within this many days is a touch on the first lead. */
  duplicateWindowDays: z.coerce.number().int().min(1).max(365).default(30),
  /** Stage-wide API throttling, a backstop behind the per-client limit. */
  apiRateLimit: z.coerce.number().int().min(1).default(200),
  apiBurstLimit: z.coerce.number().int().min(1).default(400),
  /**
   * Web origins whose pages may call the API from the browser (the bank's site posts the public form):
   * a comma-separated list in context or environment, or a list in cdk.json.
   */
  allowedOrigins: listSetting(Origin, ['http://127.0.0.1:3000', 'http://localhost:3000']),
  /**
   * Proxies in front of the API (the bank's web server, a CDN) whose `X-Forwarded-For` is believed for the
   * per-client rate limit: addresses or CIDR blocks, comma-separated. None by default: the header is ignored.
   */
  trustedProxies: z
    .preprocess(
      (value) => (value === undefined ? undefined : [value].flat().map(String).join(',')),
      z.string().refine((list) => {
        try {
          trustedProxiesOf(list);
          return true;
        } catch {
          return false;
        }
      }, 'must be IP addresses or CIDR blocks, comma-separated'),
    )
    .default(''),
  /**
   * Which acceptance SLA configuration (shared/managers/config/acceptance-sla.*.json) the personal managers
   * work under: `standard`; `drill` and `burst` count calendar seconds, for the tests and the bench.
   */
  acceptanceSla: z
    .enum(ACCEPTANCE_SLA_NAMES as [AcceptanceSlaName, ...AcceptanceSlaName[]])
    .default('standard'),
  /**
   * Where the PM unit is told that a lead waits for its head (LeadEscalated): the head of unit's address
   * or the unit's shared mailbox, and the language its emails are written in.
   */
  unitMailbox: z.email().default('pm-unit@bank.example'),
  unitMailboxLanguage: z.enum(LOCALES).default('ru'),
  /**
   * Where the campaign team is told that a campaign paused itself (and why) or completed (its summary):
   * the team's shared mailbox, and the language its emails are written in.
   */
  campaignMailbox: z.email().default('campaigns@bank.example'),
  campaignMailboxLanguage: z.enum(LOCALES).default('ru'),
  /**
   * The bank's page a referral link opens (docs/referrals.md): the page holds the lead form with the
   * embeddable script, which reads the code from the link's `ref` parameter.
   */
  referralLandingPage: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000/__local/example-form'),
  /** Leads escalated to the head of unit within an hour that raise the "waiting list grows" alarm. */
  waitingLeadsAlarmPerHour: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Where operational alarms are emailed; none when empty. */
  alarmEmail: z.union([z.email(), z.literal('')]).default(''),
  /** Where the staff console is served (comma-separated); Cognito sends sign-in to `<url>/callback`, sign-out to `<url>/`. */
  consoleUrls: listSetting(
    z
      .url({ protocol: /^https?$/ })
      .refine(
        (u) => /^(https:|http:\/\/localhost(:\d+)?(\/|$))[^#]*$/.test(u),
        'must be https, or http on localhost, without a #fragment (Cognito accepts no other)',
      )
      .transform((u) => u.replace(/\/+$/, '')),
    ['http://localhost:3000/console'],
  ),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

export const CONTEXT_KEYS: Record<keyof DeploymentConfig, string> = {
  senderEmail: 'attract:senderEmail',
  leadRateLimitPerMinute: 'attract:leadRateLimitPerMinute',
  duplicateWindowDays: 'attract:duplicateWindowDays',
  apiRateLimit: 'attract:apiRateLimit',
  apiBurstLimit: 'attract:apiBurstLimit',
  alarmEmail: 'attract:alarmEmail',
  consoleUrls: 'attract:consoleUrls',
  allowedOrigins: 'attract:allowedOrigins',
  trustedProxies: 'attract:trustedProxies',
  acceptanceSla: 'attract:acceptanceSla',
  unitMailbox: 'attract:unitMailbox',
  unitMailboxLanguage: 'attract:unitMailboxLanguage',
  campaignMailbox: 'attract:campaignMailbox',
  campaignMailboxLanguage: 'attract:campaignMailboxLanguage',
  waitingLeadsAlarmPerHour: 'attract:waitingLeadsAlarmPerHour',
  referralLandingPage: 'attract:referralLandingPage',
};

export function readDeploymentConfig(scope: Construct): DeploymentConfig {
  const raw = Object.fromEntries(
    Object.entries(CONTEXT_KEYS).map(([field, key]) => [field, scope.node.tryGetContext(key)]),
  );
  const parsed = DeploymentConfig.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map(
      (i) => `${CONTEXT_KEYS[i.path[0] as keyof DeploymentConfig]}: ${i.message}`,
    );
    throw new Error(`Invalid Attract deployment configuration: ${details.join('; ')}`);
  }
  return parsed.data;
}
