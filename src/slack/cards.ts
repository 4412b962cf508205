import type { WebClient } from '@slack/web-api';
import { CardRedraws } from '../offboarding/card-refresh.js';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService } from '../offboarding/offboarding.service.js';
import { requestMessage } from './blocks.js';

/**
 * Redraws request cards from what is stored when the redraw is made (the request, its decisions,
 * its steps), so a late redraw shows the present; CardRedraws drops one that would show the past.
 */
export class SlackCards {
  constructor(
    private readonly client: WebClient,
    private readonly service: OffboardingService,
    private readonly options: { approvers: readonly string[]; deployment: Deployment },
    private readonly redraws = new CardRedraws(),
  ) {}

  /**
   * chat.update on the request's card. `fallback` is where the card is when the request does not
   * say yet (a click that came before its location was stored). Returns false when nothing drew.
   */
  async redraw(requestId: number, fallback?: { channel?: string; ts?: string }): Promise<boolean> {
    const request = await this.service.findRequest(requestId);
    if (!request) return false;
    const channel = request.chat_channel_id ?? fallback?.channel;
    const ts = request.chat_message_id ?? fallback?.ts;
    if (!channel || !ts) return false;
    const details = await this.service.cardFor(request);
    const card = requestMessage(request, {
      approvers: this.options.approvers,
      ...details,
      deployment: this.options.deployment,
    });
    return this.redraws.redraw(request.id, details.progress.version, async () => {
      await this.client.chat.update({ channel, ts, text: card.text, blocks: card.blocks });
    });
  }
}
