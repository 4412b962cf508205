import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { buildEvidenceFiles } from '../../../offboarding/evidence.js';
import {
  EVIDENCE_FAILED,
  evidenceComment,
  evidenceRefusal,
  evidenceSentReply,
} from '../../../offboarding/wording/evidence.js';
import { profileUnreadable, UNKNOWN_BUTTON } from '../../../offboarding/wording/refusals.js';
import { parseDecisionButtonValue, sandboxText } from '../../blocks.js';
import { describeSlackUser } from '../../identity.js';
import { SLACK_STYLE } from '../../replies.js';
import type { SlackListenerDeps } from '../deps.js';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * Evidence on a completed request's card: the JSON record and its HTML page, uploaded to a direct
 * message with the clicker (a card in a shared channel is no place for them). Only the requester
 * and the approvers get it; the button carries the card's token, checked as for a decision.
 */
export function evidenceAction(deps: SlackListenerDeps) {
  return async ({ ack, body, action, respond, client }: ButtonArgs): Promise<void> => {
    await ack();
    const button = parseDecisionButtonValue(action.value);
    const logger = deps.logger.child({ requestId: button?.requestId, slackUser: body.user.id });
    const tellClicker = async (text: string) => {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: sandboxText(text, deps.deployment),
      });
    };
    if (!button) {
      logger.warn({ reason: 'unreadable button value' }, 'evidence refused');
      await tellClicker(UNKNOWN_BUTTON);
      return;
    }
    try {
      const actor = await describeSlackUser(client, body.user.id, body.user.name);
      if (!actor) {
        logger.warn({ reason: 'users.info failed' }, 'evidence refused');
        await tellClicker(profileUnreadable(SLACK_STYLE, 'decision'));
        return;
      }
      const outcome = await deps.service.evidenceFor({
        requestId: button.requestId,
        actor,
        proof: { token: button.token, channelId: body.channel?.id, messageId: body.message?.ts },
      });
      if (outcome.kind !== 'evidence') {
        await tellClicker(
          evidenceRefusal(outcome, button.requestId, SLACK_STYLE) ?? EVIDENCE_FAILED,
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
      logger.info('evidence sent');
      await tellClicker(evidenceSentReply(outcome.request.id));
    } catch (error) {
      logger.error({ err: error }, 'evidence failed');
      await tellClicker(EVIDENCE_FAILED).catch(() => undefined);
    }
  };
}
