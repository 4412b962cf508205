import type { Batch } from '../../../offboarding/batch.table.js';
import { batchDecisionReply, batchRetryReply } from '../../../offboarding/wording/batch.js';
import { DECISION_FAILED } from '../../../offboarding/wording/refusals.js';
import { batchCard } from '../../batch-blocks.js';
import type { SlackListenerDeps } from '../deps.js';
import { type ButtonArgs, cardButtonListener } from './card-button.js';

type BatchClick = 'approved' | 'rejected' | 'retry';

/**
 * Approve all, Reject all (the batch card) and Retry failed (its progress message). The button
 * carries the batch's token, and the click's location is checked against the card: the card
 * itself, or the progress message in the card's thread.
 */
export function batchActionHandler(deps: SlackListenerDeps, kind: BatchClick) {
  return cardButtonListener(
    deps,
    {
      what: 'batch click',
      failedText: DECISION_FAILED,
      idField: 'batchId',
      logFields: { click: kind },
    },
    async (click) => {
      const { body, client } = click.args;
      const batchId = click.button.requestId;
      const actor = await click.clicker();
      if (!actor) return;
      const message = body.message as { ts?: string; thread_ts?: string } | undefined;
      const proof = {
        token: click.button.token,
        channelId: body.channel?.id,
        // Retry failed sits on the progress message: its thread is the card.
        messageId: kind === 'retry' ? message?.thread_ts : message?.ts,
      };
      if (kind === 'retry') {
        const outcome = await deps.batches.retryFailed({ batchId, actor, proof });
        await click.tellClicker(batchRetryReply(outcome));
        if (outcome.kind === 'retried')
          click.logger.info({ retried: outcome.requestIds.length }, 'batch retried');
        return;
      }
      const outcome = await deps.batches.decideBatch({ batchId, actor, decision: kind, proof });
      if ('batch' in outcome) redrawCard(deps, client, outcome.batch, click.logger);
      const reply = batchDecisionReply(outcome);
      if (reply) await click.tellClicker(reply);
      if (outcome.kind === 'decided')
        click.logger.info({ requests: outcome.requests }, 'batch decided');
    },
  );
}

/** At once, off the listener's path; the progress job redraws it from the database after. */
function redrawCard(
  deps: SlackListenerDeps,
  client: ButtonArgs['client'],
  batch: Batch,
  logger: SlackListenerDeps['logger'],
): void {
  const channel = batch.chat_channel_id;
  const ts = batch.chat_message_id;
  if (!channel || !ts) return;
  setImmediate(() => {
    deps.batches
      .viewOf(batch)
      .then((view) => {
        const card = batchCard(view, { approvers: deps.approvers, deployment: deps.deployment });
        return client.chat.update({ channel, ts, text: card.text, blocks: card.blocks });
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'batch card could not be updated'));
  });
}
