import type { WorkflowEvent } from './events.js';

/**
 * Whether a notifier redraws the request card for this event, before posting it in the card's
 * thread. The card shows where the request stands: each step as it starts and ends (steps due at
 * once run back to back in one job, so only these events see each of them), the GDPR request's
 * status, and how it ended. The update goes first because it is idempotent: a retry after a
 * failed reply repeats it harmlessly instead of posting the reply twice.
 */
export function refreshesCard(event: WorkflowEvent): boolean {
  switch (event.type) {
    case 'completed':
    case 'failed':
    case 'expired':
    case 'cancelled':
    case 'rejected':
    // The run started: Cancel leaves the card (a scheduled run starts with no click to redraw it).
    case 'run_started':
    case 'step_started':
    case 'step_succeeded':
    case 'gdpr_status':
    // The grace period shows or withdraws the Undo button.
    case 'erasure_scheduled':
    case 'erasure_due':
    case 'restored':
      return true;
    default:
      return false;
  }
}

/**
 * Keeps a card's redraws in order on this instance: one at a time per card, and a redraw made
 * from an older state than one already drawn is dropped. A click's redraw and the thread's
 * redraw can otherwise cross on the way to the chat, and the card would show the past (a run
 * "starting" after its first step was shown).
 */
export class CardRedraws {
  /** Request id → the version of the latest redraw sent, most recently drawn last. */
  private readonly drawn = new Map<number, number>();
  private readonly queues = new Map<number, Promise<unknown>>();

  constructor(private readonly remembered = 1_000) {}

  /**
   * Runs `draw` after the card's earlier redraws, unless a newer version was drawn meanwhile.
   * `version` is read when the card is rendered (RunProgress.version). Returns whether it drew.
   */
  async redraw(requestId: number, version: number, draw: () => Promise<void>): Promise<boolean> {
    const previous = this.queues.get(requestId) ?? Promise.resolve();
    const turn = previous
      .catch(() => undefined)
      .then(async () => {
        if ((this.drawn.get(requestId) ?? Number.NEGATIVE_INFINITY) > version) return false;
        await draw();
        this.remember(requestId, version);
        return true;
      });
    this.queues.set(requestId, turn);
    try {
      return await turn;
    } finally {
      if (this.queues.get(requestId) === turn) this.queues.delete(requestId);
    }
  }

  private remember(requestId: number, version: number): void {
    const latest = Math.max(version, this.drawn.get(requestId) ?? version);
    // Re-inserted so the map's order is by last redraw: the oldest is forgotten first.
    this.drawn.delete(requestId);
    this.drawn.set(requestId, latest);
    if (this.drawn.size > this.remembered) {
      const oldest = this.drawn.keys().next().value;
      if (oldest !== undefined) this.drawn.delete(oldest);
    }
  }
}
