import type { ruCampaignTeam } from './ru-campaign-team.ts';

/** The campaign team's emails in English: the Russian keys, each translated. */
export const enCampaignTeam: typeof ruCampaignTeam = {
  campaignTeamEmail: {
    paused: {
      subject: 'Campaign paused: {campaign}',
      intro:
        'The campaign “{campaign}” paused itself on {at}: {reason}. No further letter goes out until it is resumed.',
    },
    why: {
      bounces:
        "Why: hard bounces reached {rate} ({bounced} of {sent} letters sent), the campaign's threshold being {threshold}. The check starts once {minSample} letters are sent. The bounced addresses are on the suppression list already; before resuming, check where the list of addresses came from.",
      complaints:
        "Why: spam complaints reached {rate} ({complained} of {sent} letters sent), the campaign's threshold being {threshold}. The check starts once {minSample} letters are sent. The bank writes no more to those who complained; before resuming, check the audience and the offer's text.",
      send_errors:
        'Why: letters of the campaign that could not be sent: {failed}; the campaign pauses at {limit}. Amazon SES refused those letters (a wrong address, for instance) or did not take them after retries.',
      ses_refused:
        "Why: Amazon SES takes no letters from the bank's account: sending is paused on the account, the account is suspended, or the daily quota is spent. The letters not sent are not lost: they go out once the campaign is resumed. Before resuming, ask the AWS administrators for the cause.",
      run_failed:
        'Why: sending stopped on a failure that retries did not clear; on-call has been alerted. Once resumed, the campaign carries on where it stopped, and nobody gets a letter twice.',
    },
    sentSoFar: 'Done before the pause:',
    act: {
      read: "The campaign's progress: GET {url}",
      resume: 'Resume (letters go to those who have not had theirs yet): POST {url}',
      cancel: 'Cancel (no further letter): POST {url}',
    },
    completed: {
      subject: 'Campaign completed: {campaign}',
      intro: 'The campaign “{campaign}” is completed: every step has been sent. The summary follows.',
      read: "The campaign's progress: GET {url}",
    },
    facts: {
      campaign: 'Campaign',
      campaignId: 'Campaign id',
      launchedAt: 'Launched',
      endedAt: 'Ended',
      pausedAt: 'Paused',
      responses: 'Responded (requested a call)',
    },
    step: {
      heading: 'Step {step}',
      sent: 'Sent',
      ofTotal: '{sent} of {total}',
      skipped: 'Skipped: {reason}',
      failed: 'Could not be sent',
      deferred: 'Waiting for sending hours',
      open: 'Sending not confirmed',
      delivered: 'Delivered',
      bounced: 'Hard bounces',
      complained: 'Spam complaints',
      opened: 'Opened',
      clicked: 'Clicked a link',
    },
    possibleRepeat:
      'You may have received this email already: an earlier attempt to send it may have gone through. It is the same notice about the campaign, not a new one.',
  },
};
