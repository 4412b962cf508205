import { buildEvidenceFiles } from '../../../offboarding/evidence.js';
import {
  EVIDENCE_FAILED,
  evidenceComment,
  evidenceRefusal,
  evidenceSentReply,
} from '../../../offboarding/wording/evidence.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';
import { cardButtonListener, cardProof } from './card-button.js';

/**
 * Evidence on a completed request's card: the JSON record and its HTML page, uploaded to a direct
 * message with the clicker (a card in a shared channel is no place for them). Only the requester
 * and the approvers get it; the button carries the card's token, checked as for a decision.
 */
export function evidenceAction(deps: SlackListenerDeps) {
  return cardButtonListener(
    deps,
    { what: 'evidence', failedText: EVIDENCE_FAILED },
    async (click) => {
      const { body, client } = click.args;
      const { requestId } = click.button;
      const actor = await click.clicker();
      if (!actor) return;
      const outcome = await deps.service.evidenceFor({ requestId, actor, proof: cardProof(click) });
      if (outcome.kind !== 'evidence') {
        await click.tellClicker(
          evidenceRefusal(outcome, requestId, SLACK_STYLE) ?? EVIDENCE_FAILED,
        );
        return;
      }
      const opened = await client.conversations.open({ users: body.user.id });
      const dm = opened.channel?.id;
      if (!dm) throw new Error('conversations.open gave no channel');
      const files = buildEvidenceFiles(outcome.record);
      await client.filesUploadV2({
        channel_id: dm,
        initial_comment: evidenceComment(outcome.request.id),
        file_uploads: files.map((file) => ({
          file: Buffer.from(file.content, 'utf8'),
          filename: file.name,
          title: file.name,
        })),
      });
      await deps.service.recordEvidenceDelivery(outcome.request.id, actor, 'slack_direct_message');
      click.logger.info('evidence sent');
      await click.tellClicker(evidenceSentReply(outcome.request.id));
    },
  );
}
