// Activities as Teams sends them to a bot's messaging endpoint: a message typed in a personal
// chat or in a channel (with the bot @mentioned), an Action.Execute click (`invoke`,
// `adaptiveCard/action`) and an Action.Submit click (a `message` carrying the button's data).

import type { FakeTeamsMember } from './fake-bot-connector.js';

export const TENANT_ID = '72f988bf-0000-4000-8000-000000000000';
export const BOT_ACCOUNT = { id: '28:offboarding-bot-id', name: 'Offboarding' };
export const TEAM_ID = '19:team-ops@thread.tacv2';

/** Where an activity comes from. A channel message starts or continues a thread. */
export type TeamsPlace =
  | { kind: 'personal' }
  | { kind: 'channel'; channelId: string; threadRootId?: string }
  | { kind: 'groupChat'; chatId: string };

export type Activity = Record<string, unknown>;

let counter = 0;
const nextId = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;

export function personalConversationId(user: FakeTeamsMember): string {
  return `a:personal-chat-${user.id.replace(/^29:/, '')}`;
}

function conversationFor(user: FakeTeamsMember, place: TeamsPlace, activityId: string) {
  switch (place.kind) {
    case 'personal':
      return {
        conversation: {
          id: personalConversationId(user),
          conversationType: 'personal',
          tenantId: TENANT_ID,
        },
        channelData: { tenant: { id: TENANT_ID } },
      };
    case 'channel':
      return {
        // Teams names the thread by the id of its first message: a new post is its own root.
        conversation: {
          id: `${place.channelId};messageid=${place.threadRootId ?? activityId}`,
          conversationType: 'channel',
          isGroup: true,
          tenantId: TENANT_ID,
        },
        channelData: {
          team: { id: TEAM_ID },
          channel: { id: place.channelId },
          tenant: { id: TENANT_ID },
        },
      };
    case 'groupChat':
      return {
        conversation: {
          id: place.chatId,
          conversationType: 'groupChat',
          isGroup: true,
          tenantId: TENANT_ID,
        },
        channelData: { tenant: { id: TENANT_ID } },
      };
  }
}

function base(serviceUrl: string, from: FakeTeamsMember, place: TeamsPlace, type: string) {
  const id = nextId(type);
  return {
    type,
    id,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: BOT_ACCOUNT,
    locale: 'en-US',
    ...conversationFor(from, place, id),
  };
}

/** A typed message; outside a personal chat the bot is @mentioned first, as Teams requires. */
export function messageActivity(
  serviceUrl: string,
  from: FakeTeamsMember,
  text: string,
  place: TeamsPlace = { kind: 'personal' },
): Activity {
  const mentionsBot = place.kind !== 'personal';
  const mention = `<at>${BOT_ACCOUNT.name}</at>`;
  return {
    ...base(serviceUrl, from, place, 'message'),
    textFormat: 'plain',
    text: mentionsBot ? `${mention} ${text}` : text,
    entities: [
      ...(mentionsBot ? [{ type: 'mention', mentioned: BOT_ACCOUNT, text: mention }] : []),
      { type: 'clientInfo', locale: 'en-US', platform: 'Web' },
    ],
  };
}

export interface DecisionClick {
  requestId: number;
  decision: 'approved' | 'rejected' | 'cancelled';
  /** The card's activity id, which Teams sends as `replyToId`. */
  cardActivityId?: string;
  /**
   * The token the card's buttons carry. The harness reads it from the card when this is left
   * out; null sends none, as a card from before tokens did.
   */
  token?: string | null;
  /** Typed in Reject's reason input: Teams sends the card's inputs with the action's data. */
  reason?: string;
}

function decisionData(click: DecisionClick): Record<string, unknown> {
  return {
    offboardingRequestId: click.requestId,
    offboardingDecision: click.decision,
    ...(typeof click.token === 'string' ? { offboardingToken: click.token } : {}),
    ...(click.reason === undefined
      ? {}
      : { [`offboardingRejectReason_${click.requestId}`]: click.reason }),
  };
}

/** An Action.Execute click: Teams posts an invoke and shows the card in the invoke response. */
export function executeActivity(
  serviceUrl: string,
  from: FakeTeamsMember,
  click: DecisionClick,
  place: TeamsPlace,
): Activity {
  return {
    ...base(serviceUrl, from, place, 'invoke'),
    name: 'adaptiveCard/action',
    ...(click.cardActivityId ? { replyToId: click.cardActivityId } : {}),
    value: {
      action: {
        type: 'Action.Execute',
        verb: 'offboarding.decide',
        data: decisionData(click),
      },
      trigger: 'manual',
    },
  };
}

/** An Action.Submit click (the fallback for clients without Universal Actions). */
export function submitActivity(
  serviceUrl: string,
  from: FakeTeamsMember,
  click: DecisionClick,
  place: TeamsPlace,
): Activity {
  return {
    ...base(serviceUrl, from, place, 'message'),
    ...(click.cardActivityId ? { replyToId: click.cardActivityId } : {}),
    value: decisionData(click),
  };
}
