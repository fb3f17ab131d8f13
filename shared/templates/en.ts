import type { Catalog } from './catalog.ts';
import { enCampaignTeam } from './en-campaign-team.ts';
import { enConsentPages } from './en-consent-pages.ts';
import { enEmbedForm } from './en-embed-form.ts';
import { enLetterPages } from './en-letter-pages.ts';
import { enOpenDayEmails } from './en-open-day-emails.ts';
import { enOpenDayPage } from './en-open-day-page.ts';
import { enReferrals } from './en-referrals.ts';

/** English, for managers who read it better: typed as the Russian catalog, so no key can be missing. */
export const en: Catalog = {
  common: {
    staffTime: '{dateTime} (Moscow time)',
    possibleRepeatSubject: 'Possibly a repeat',
    notGiven: 'not given',
    none: 'none',
    person: '{name} ({email})',
  },
  labels: {
    product: {
      settlement_account: 'Settlement account',
      payroll: 'Payroll',
      acquiring: 'Acquiring',
      credit: 'Credit',
      deposits: 'Deposits',
      fx: 'Foreign exchange',
      guarantees: 'Bank guarantees',
      leasing: 'Leasing',
      cash_management: 'Cash management',
    },
    channel: {
      letter: 'Addressed letter',
      referral: 'Client referral',
      web: 'Website form',
      open_day: 'Open day',
      event: 'Conference or exhibition',
      personal_contact: "Manager's personal contact",
      association: 'Business association',
      import: 'Imported list',
    },
    industry: {
      manufacturing: 'Manufacturing',
      trade: 'Trade',
      construction: 'Construction',
      it: 'Information technology',
      transport: 'Transport and logistics',
      agriculture: 'Agriculture',
      services: 'Services',
      finance: 'Finance',
      healthcare: 'Healthcare',
      other: 'Other industry',
    },
    sizeBand: {
      micro: 'Micro business',
      small: 'Small business',
      medium: 'Medium-sized company',
      large: 'Large company',
    },
    leadClass: { key: 'key', priority: 'priority', standard: 'standard', unqualified: 'unqualified' },
    scoringFactor: {
      sizeBand: 'Company size',
      industry: 'Industry',
      region: 'Region',
      products: 'Products',
      channel: 'Acquisition channel',
      completeness: 'Completeness',
    },
    completenessItem: {
      phone: 'phone',
      message: 'message',
      website: 'website',
      sizeBand: 'company size',
      industry: 'industry',
    },
    matchedBy: { email: 'email address', inn: 'INN' },
    enquirySignal: {
      new_contact: 'a new contact person',
      new_message: 'a new message',
      other_products: 'other products',
      other_company_name: 'another company name',
      other_inn: 'another INN',
    },
    routingRule: {
      existing_client: "the client's own manager",
      referrer_manager: "the referring client's manager",
      best_fit: 'the best fit with free capacity',
      unassigned: 'nobody fits',
    },
    escalationCause: {
      no_manager: 'no manager fits',
      attempts_exhausted: 'offers exhausted',
    },
    pauseReason: {
      by_manager: 'paused by a campaign manager',
      send_errors: 'too many letters could not be sent',
      ses_refused: 'Amazon SES takes no letters',
      run_failed: 'a sending failure',
      bounces: 'too many hard bounces',
      complaints: 'too many spam complaints',
    },
    skipReason: {
      unsubscribed: 'unsubscribed',
      hard_bounced: 'address does not exist (a hard bounce before)',
      complained: 'complained of spam',
      existing_client: 'clients of the bank already',
      no_consent: 'no consent to letters',
      already_sent_this_campaign: "this step's letter went to the address already",
      frequency_cap: 'letters per address used up',
      quiet_hours: 'outside sending hours',
      not_a_prospect: 'not in the prospect book',
      repeated_member: 'met on another audience of the campaign',
      responded: 'responded to the campaign already',
    },
  },
  timeline: {
    missing: '—',
    received: 'Enquiry received, channel: {channel}',
    touch: {
      same: 'Repeated enquiry, channel: {channel}',
      differs: 'Repeated enquiry, channel: {channel}; it differs from the first one: {signals}',
    },
    existing_client_matched:
      'The company is an existing client ({clientId}); its personal manager {managerId} takes the enquiry',
    assessed: 'Scored {total} of 100: {leadClass} lead',
    assigned: {
      byRule: 'Assigned to personal manager {managerId} ({rule}), offer {attempt}; answer due by {dueAt}',
      byRuleNextShift:
        'Assigned to personal manager {managerId} ({rule}; outside their working hours, the time counts from their next shift), offer {attempt}; answer due by {dueAt}',
      ownClient: "Handed to the client's personal manager {managerId}; answer due by {dueAt}",
      byHand:
        'Assigned by hand by the head of unit to personal manager {managerId}, offer {attempt}; answer due by {dueAt}',
      reassignedByHand:
        'Reassigned by hand by the head of unit from personal manager {fromManagerId} to {managerId}, offer {attempt}; answer due by {dueAt}',
    },
    awaiting_manager: 'No personal manager fits with free capacity; waiting for the head of unit',
    manager_notified: {
      sent: 'Personal manager {managerId} notified by email',
      possibleRepeat:
        'Personal manager {managerId} notified by email again, marked as a possible repeat: an earlier attempt may have sent it',
    },
    accepted: {
      inTime: 'Accepted by personal manager {managerId} in time (due by {dueAt})',
      late: 'Accepted by personal manager {managerId} after the due time ({dueAt})',
    },
    declined: 'Declined by personal manager {managerId}: {reason}; the lead goes to the next one',
    acceptance_timed_out:
      'Personal manager {managerId} did not answer by {dueAt}; the lead goes to the next one',
    escalated: {
      attemptsExhausted: 'Offered to {managers} without an acceptance; the head of unit assigns it',
      managers: { plural: { one: '{count} personal manager', other: '{count} personal managers' } },
      noManager: 'No personal manager can take the lead; the head of unit assigns it',
    },
    head_of_unit_notified: {
      sent: "The PM unit's mailbox was told by email that the lead waits for the head of unit ({cause})",
      possibleRepeat:
        "The PM unit's mailbox was told by email again, marked as a possible repeat, that the lead waits for the head of unit ({cause})",
    },
    converted: 'The company became a client, products: {products}; recorded by personal manager {managerId}',
    referrer_notified: {
      sent: 'Client {clientId}, who recommended the bank, was emailed that the company became a client',
      possibleRepeat:
        'Client {clientId}, who recommended the bank, was emailed again, marked as a possible repeat',
    },
    lost: 'Lost: {reason}; recorded by personal manager {managerId}',
    enquiry_notified: {
      sent: 'Personal manager {managerId} told of a later enquiry by email',
      possibleRepeat:
        'Personal manager {managerId} told of a later enquiry by email again, marked as a possible repeat',
    },
    intake_failed: 'Intake failed: {error}',
    intake_resumed: {
      after: 'Intake run again after a failure ({error})',
      unknown: 'Intake run again after a failure',
    },
  },
  managerEmail: {
    subject: {
      acquisition: 'A new lead for you: {company} ({class})',
      existingClient: 'An enquiry from your client: {company}',
    },
    greeting: {
      acquisition: '{manager}, a new lead for you: {company}.',
      existingClient: '{manager}, your client has an enquiry: {company}.',
    },
    leadClass: '{leadClass} lead',
    existingClient: 'existing client',
    facts: {
      company: 'Company',
      inn: 'Tax ID (INN)',
      regionCode: 'Region code',
      sizeBand: 'Company size',
      industry: 'Industry',
      website: 'Website',
      products: 'Products of interest',
      contact: 'Contact person',
      email: 'Email',
      phone: 'Phone',
      channel: 'Acquisition channel',
      message: 'Message',
      receivedAt: 'Received',
      leadId: 'Lead id',
    },
    score: {
      heading: 'Score {total} of 100 ({class})',
      factor: 'Factor',
      value: 'Value',
      points: 'Points',
      why: 'Why',
      line: '{factor}: {value}, {points} ({why})',
      share: '{fraction} of weight {weight}',
      unlistedRegion: 'region not listed, default {fraction} of weight {weight}',
      pointsCount: { plural: { one: '{count} point', other: '{count} points' } },
      configuration: 'Scoring configuration {version}.',
    },
    possibleRepeat:
      'You may have received this email already: an earlier attempt to send it may have gone through. It is the same notification, not a new lead.',
    answerBy: 'Accept the lead or decline it by {dueAt}. Without an answer, it goes to another manager.',
    acceptLink: 'Accept the lead',
    declineLink: 'Decline the lead',
  },
  decisionPage: {
    title: 'Lead {company}',
    accept: {
      question: 'Accept the lead {company}? You become its personal manager.',
      button: 'Accept',
    },
    decline: {
      question: 'Decline the lead {company}? It goes to another manager.',
      reason: 'Reason',
      note: 'Comment (optional)',
      button: 'Decline',
      reasonMissing: 'Choose a reason for declining.',
    },
    dueAt: 'Please answer by {dueAt}.',
    done: {
      accepted: 'Done: the lead {company} is yours.',
      declined: 'Done: you declined the lead {company}; it goes to another manager.',
    },
    refused: {
      invalid: 'This link is not valid. Open the lead in your workspace.',
      expired: 'This link has expired. Open the lead in your workspace.',
      decided: 'The lead was accepted already.',
      reassigned: 'The lead has gone to another manager.',
      stale: 'This link is for an earlier assignment of the lead.',
      not_found: 'The lead was not found.',
    },
  },
  enquiryEmail: {
    subject: 'A new enquiry about your lead {company}',
    subjectToCheck: 'A new enquiry about your lead {company}: check who this is',
    greeting: '{manager}, a new enquiry has come in about your lead {company}.',
    matchedBy: 'It was matched to the lead by {keys}.',
    differs: "This enquiry does not match the lead's first one:",
    newContact: 'a different contact person: {now}; first enquiry: {first}',
    otherCompanyName: 'a different company name: "{now}"; first enquiry: "{first}"',
    otherInn: 'a different INN: {now}; first enquiry: {first}',
    checkBeforeCalling:
      "Check who this is before you call: anyone can give another company's INN or email address, and the first enquiry may not have come from the company itself either.",
    newContactPerson: '{contact} (a new contact person)',
    productsWithNew: '{products}; new for this lead: {added}',
    facts: {
      contact: 'Contact person',
      email: 'Email',
      phone: 'Phone',
      company: 'Company',
      inn: 'Tax ID (INN)',
      products: 'Products of interest',
      message: 'Message',
      channel: 'Acquisition channel',
      receivedAt: 'Received',
      leadId: 'Lead id',
      enquiryId: 'Enquiry id',
    },
    possibleRepeat:
      'You may have received this email already: an earlier attempt to send it may have gone through. It is the same notification, not another enquiry.',
  },
  headOfUnitEmail: {
    subject: 'A lead waits to be assigned: {company}',
    intro:
      'The lead {company} waits for the head of unit: no personal manager took it, so assign it by hand.',
    why: {
      no_manager:
        'Why: no manager can take the lead. Nobody fits its segment, region and industry, or those who fit are away or have no free capacity.',
      attempts_exhausted:
        'Why: the offers ran out. Every manager it was offered to declined it or did not answer in time.',
    },
    attempts: 'Offers to managers: {attempts}.',
    act: {
      assign:
        'What to do: give the lead to a manager with POST {url} and the body {"managerId": "…"}. The manager gets an email and must accept the lead in time.',
      waitingList: 'Every lead waiting to be assigned: GET {url}',
    },
    leadClass: '{leadClass} lead',
    existingClient: 'existing client',
    score: '{total} of 100',
    segment: {
      corporate: 'Corporate',
      mid_market: 'Mid-market',
      small_business: 'Small business',
    },
    facts: {
      company: 'Company',
      leadId: 'Lead id',
      leadClass: 'Class',
      score: 'Score',
      segment: 'Segment',
      regionCode: 'Region code',
      sizeBand: 'Company size',
      industry: 'Industry',
      products: 'Products of interest',
      receivedAt: 'Received',
      waitingSince: 'Waiting since',
    },
    possibleRepeat:
      'You may have received this email already: an earlier attempt to send it may have gone through. It is the same notification, not another lead in the queue.',
  },
  letterFooter: {
    unsubscribe:
      "You received this letter as your company's representative. To stop the bank's letters with offers: {link}",
    unsubscribeLink: 'unsubscribe',
    respond: 'To talk about the offer, request a call from a manager: {link}',
    respondLink: 'request a call',
  },
  ...enLetterPages,
  ...enCampaignTeam,
  ...enOpenDayEmails,
  ...enOpenDayPage,
  ...enConsentPages,
  ...enEmbedForm,
  ...enReferrals,
};
