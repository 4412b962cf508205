import type { WorkflowEvent } from './events.js';

/**
 * Whether a notifier redraws the request card for this event, before posting it in the card's
 * thread. The card shows where the request ended; the steps in between are told in the thread
 * only, and the decision redraws the card itself. The update goes first because it is
 * idempotent: a retry after a failed reply repeats it harmlessly instead of posting the reply
 * twice.
 */
export function refreshesCard(event: WorkflowEvent): boolean {
  switch (event.type) {
    case 'completed':
    case 'failed':
    case 'expired':
    case 'cancelled':
    // The run started: Cancel leaves the card (a scheduled run starts with no click to redraw it).
    case 'run_started':
    // The grace period shows or withdraws the Undo button.
    case 'erasure_scheduled':
    case 'erasure_due':
    case 'restored':
      return true;
    default:
      return false;
  }
}
