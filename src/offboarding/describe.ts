import type { GdprMode } from '../genesys/types.js';
import type { RequestState } from './request.table.js';

/** Platform-neutral wording shared by the Slack and Teams renderers. */

export interface PlannedAction {
  text: string;
  irreversible: boolean;
}

export function plannedActions(mode: GdprMode): PlannedAction[] {
  const actions: PlannedAction[] = [
    {
      text: "Revoke all of the user's Genesys Cloud sessions and OAuth tokens.",
      irreversible: false,
    },
    {
      text: 'Soft delete the user: they can no longer log in (an admin can restore them).',
      irreversible: false,
    },
  ];
  if (mode === 'delete') {
    actions.push({
      text: "File a GDPR erasure request (GDPR_DELETE) for the user's personal data and follow it to completion. IRREVERSIBLE: the data is erased and the user can never be restored.",
      irreversible: true,
    });
  } else if (mode === 'anonymize') {
    actions.push({
      text: "File a GDPR pseudonymisation request (GDPR_UPDATE) replacing the user's name and email with a pseudonym in retained history, and follow it to completion. IRREVERSIBLE.",
      irreversible: true,
    });
  } else {
    actions.push({
      text: 'No GDPR request (GDPR_MODE=none): the personal data Genesys retains stays.',
      irreversible: false,
    });
  }
  return actions;
}

export const STATE_LABELS: Record<RequestState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, starting',
  rejected: 'Rejected',
  expired: 'Expired without a decision',
  cancelled: 'Cancelled',
  running: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
};
