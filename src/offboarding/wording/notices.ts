/** Replies to `notify here`: choosing where completion and failure notices go. */

export const NOTIFY_HERE_NOT_APPROVER =
  'Only an approver can choose where offboarding notices go. Nothing was changed.';

export const NOTIFY_HERE_DONE =
  'Offboarding notices will be posted here: every completed or failed offboarding, and the requests people make in a personal chat with me.';

/** Slack has no `notify here`: its notice channel is configured. */
export const NOTIFY_HERE_IS_CONFIGURED_IN_SLACK =
  'In Slack the notification channel is set with SLACK_NOTIFY_CHANNEL. `notify here` is for Teams.';
