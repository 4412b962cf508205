import type { UndoOutcome } from '../offboarding.service.js';
import type { OffboardingRequest } from '../request.table.js';
import type { TextStyle } from './style.js';

/** The words of the grace period and its Undo, shared by the Slack and the Teams card. */

/** What a restore in Genesys Cloud does not bring back; said before and after an Undo. */
export const RESTORE_LEAVES_OUT =
  'A restore does not bring back extensions, the default station or roles granted directly to the user: set those again by hand.';

export const UNDO_TITLE = 'Undo offboarding?';

/** The Undo button's confirm dialog. Plain text. */
export function undoWarning(request: OffboardingRequest): string {
  return `${request.target_name} will be restored in Genesys Cloud (active again) and the GDPR request will not be filed. ${RESTORE_LEAVES_OUT}`;
}

/** Under the card while the erasure waits: when it happens, and that Undo is possible until then. */
export function awaitingErasureLine(request: OffboardingRequest, style: TextStyle): string {
  const due = request.erasure_due_at ? style.date(request.erasure_due_at) : 'soon';
  return `Soft-deleted. The GDPR request will be filed on ${due}; until then an approver can Undo.`;
}

export function restoredLine(request: OffboardingRequest, style: TextStyle): string {
  const when = request.finished_at ? ` on ${style.date(request.finished_at)}` : '';
  return `Undone${when}: restored in Genesys Cloud, no GDPR request filed.`;
}

/** What the person who clicked Undo is told privately; undefined when the card says it all. */
export function undoReply(outcome: UndoOutcome, style: TextStyle): string | undefined {
  switch (outcome.kind) {
    case 'restored':
      return `${style.text(outcome.request.target_name)} is restored in Genesys Cloud and the GDPR request will not be filed. ${RESTORE_LEAVES_OUT}`;
    case 'not_found':
      return 'This request no longer exists.';
    case 'stale_card':
      return 'This card is out of date: it does not belong to the current request with this number. Nothing was changed.';
    case 'guest':
      return 'Guest accounts cannot undo an offboarding. Nothing was changed.';
    case 'unknown_identity':
      return 'I could not read your email address, so I cannot check that this request is not about you. Nothing was changed; try again, or ask your bot admin.';
    case 'own_offboarding':
      return 'This request is about you, so you cannot undo it. Nothing was changed.';
    case 'not_approver':
      return 'Only an approver can undo an offboarding. Nothing was changed.';
    case 'already_restored':
      return `Request #${outcome.request.id} was already undone; ${style.text(outcome.request.target_name)} is restored.`;
    case 'too_late':
      return `Too late to undo request #${outcome.request.id}: the GDPR request has been filed, and a user erased through GDPR can never be restored. Nothing was changed.`;
    case 'not_undoable':
      return `Request #${outcome.request.id} has nothing to undo: nothing is waiting to be erased. Nothing was changed.`;
    case 'restore_failed':
      return `Genesys Cloud did not restore the user (${style.text(outcome.message)}). Nothing was changed: the GDPR request stays scheduled. Try again, or restore the user in Genesys Cloud admin before then.`;
  }
}
