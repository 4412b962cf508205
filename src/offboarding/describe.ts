import type { GdprMode } from '../genesys/types.js';

/** What a request will do, in the card's words; the rest of the chat wording is in wording/. */

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
    {
      text: 'Revoke sessions again, closing any opened between the first revoke and the delete.',
      irreversible: false,
    },
  ];
  if (mode === 'delete') {
    actions.push({
      text: "File a GDPR erasure request (GDPR_DELETE) for the user's personal data and follow it to completion. Irreversible: the data is erased and the user can never be restored.",
      irreversible: true,
    });
  } else if (mode === 'anonymize') {
    actions.push({
      text: "File a GDPR pseudonymisation request (GDPR_UPDATE) replacing the user's name and email with a pseudonym in retained history, and follow it to completion. Irreversible: the original name and email cannot be brought back.",
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
