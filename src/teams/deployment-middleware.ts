import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Deployment } from '../offboarding/deployment.js';
import { organizationLine, SANDBOX_NOTICE } from '../offboarding/wording/deployment.js';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  type CardElement,
} from './adaptive-card.js';

const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';
const INVOKE_RESPONSE = 'invokeResponse';

/**
 * Marks everything the bot sends, in every turn (incoming and proactive alike): each Adaptive
 * Card gets a footer naming the Genesys organization, and with the sandbox serving Teams every
 * card and text says that nothing real is changed. Done here, once, so that no card or reply
 * added later can forget it.
 */
export function deploymentMiddleware(deployment: Deployment): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      context.onSendActivities(async (_context, activities, nextSend) => {
        for (const activity of activities) decorateActivity(activity, deployment);
        return nextSend();
      });
      context.onUpdateActivity(async (_context, activity, nextUpdate) => {
        decorateActivity(activity, deployment);
        return nextUpdate();
      });
      await next();
    },
  };
}

function decorateActivity(activity: Partial<Activity>, deployment: Deployment): void {
  if (activity.type === INVOKE_RESPONSE) {
    decorateInvokeResponse(activity, deployment);
    return;
  }
  if (activity.type !== 'message') return;
  for (const attachment of activity.attachments ?? []) {
    if (attachment.contentType === ADAPTIVE_CARD_CONTENT_TYPE) {
      attachment.content = decorateCard(attachment.content as AdaptiveCard, deployment);
    }
  }
  if (deployment.sandbox && typeof activity.text === 'string' && activity.text !== '') {
    activity.text = `${activity.text}\n\n🧪 ${SANDBOX_NOTICE}`;
  }
  if (deployment.sandbox && activity.summary) {
    activity.summary = `[Sandbox] ${activity.summary}`;
  }
}

/** The card, or the clicker-only message, a Universal Action is answered with. */
function decorateInvokeResponse(activity: Partial<Activity>, deployment: Deployment): void {
  const body = (activity.value as { body?: { type?: string; value?: unknown } } | undefined)?.body;
  if (!body) return;
  if (body.type === ADAPTIVE_CARD_CONTENT_TYPE && isCard(body.value)) {
    body.value = decorateCard(body.value, deployment);
  } else if (body.type === MESSAGE_CONTENT_TYPE && typeof body.value === 'string') {
    if (deployment.sandbox) body.value = `${body.value}\n\n🧪 ${SANDBOX_NOTICE}`;
  }
}

function isCard(value: unknown): value is AdaptiveCard {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'AdaptiveCard' &&
    Array.isArray((value as { body?: unknown }).body)
  );
}

// Adaptive Cards allow an `id` on any element; it marks what this middleware added, so a card
// that comes back through it (an update of a card sent before) gets one banner and one footer.
const ADDED_ID = 'offboarding-deployment';

/** A copy: the caller's card may be reused, and must not collect a footer per send. */
export function decorateCard(card: AdaptiveCard, deployment: Deployment): AdaptiveCard {
  const banner: CardElement[] = deployment.sandbox
    ? [
        marked({
          type: 'Container',
          style: 'warning',
          items: [
            {
              type: 'RichTextBlock',
              inlines: [{ type: 'TextRun', text: `🧪 ${SANDBOX_NOTICE}`, weight: 'bolder' }],
            },
          ],
        }),
      ]
    : [];
  const footer = marked({
    type: 'RichTextBlock',
    separator: true,
    inlines: [
      { type: 'TextRun', text: organizationLine(deployment), isSubtle: true, size: 'small' },
    ],
  });
  const body = card.body.filter((element) => (element as { id?: string }).id !== ADDED_ID);
  return { ...card, body: [...banner, ...body, footer] };
}

function marked(element: CardElement): CardElement {
  return { ...element, id: ADDED_ID } as unknown as CardElement;
}
