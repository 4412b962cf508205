import type { Activity, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';

/**
 * Sends and updates messages outside of any incoming turn, from a stored conversation
 * reference. `CloudAdapter.process` holds Teams' HTTP request open for the whole turn, so
 * anything slow (Genesys lookups, the workflow) reports back through here instead.
 */
export class TeamsSender {
  constructor(
    private readonly adapter: CloudAdapter,
    /** Empty when the bot runs unauthenticated (local testing). */
    private readonly appId: string,
  ) {}

  /**
   * Posts into the reference's conversation and returns the new activity id. With an
   * `activityId` in the reference the message replies to that activity; without one it goes to
   * the conversation (in a channel thread id, that is a reply in the thread).
   */
  async send(
    reference: Partial<ConversationReference>,
    activity: Partial<Activity>,
  ): Promise<string> {
    return this.withTurn(reference, async (context) => {
      // A proactive turn's own activity has a made-up id that botbuilder would reply to.
      context.onSendActivities(async (_context, activities, next) => {
        for (const outgoing of activities) {
          if (reference.activityId) outgoing.replyToId = reference.activityId;
          else delete outgoing.replyToId;
        }
        return next();
      });
      const response = await context.sendActivity(activity);
      if (!response?.id) throw new Error('Teams returned no activity id');
      return response.id;
    });
  }

  /** Replaces the activity `activityId` in the reference's conversation (a card, for everyone). */
  async update(
    reference: Partial<ConversationReference>,
    activityId: string,
    activity: Partial<Activity>,
  ): Promise<void> {
    await this.withTurn(reference, async (context) => {
      await context.updateActivity({ ...activity, id: activityId });
    });
  }

  /**
   * botbuilder hands errors thrown in a turn to the adapter's onTurnError, if any; callers here
   * need them (the notification dispatcher retries on failure), so they are carried out.
   */
  private async withTurn<T>(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
      try {
        outcome = { ok: true, value: await logic(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('The proactive turn did not run');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }
}
