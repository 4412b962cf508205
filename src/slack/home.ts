import type { HomeView, KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Deployment } from '../offboarding/deployment.js';
import type { OffboardingService, RequestOverview } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import { approvalWarning } from '../offboarding/wording/card.js';
import { organizationLine, SANDBOX_NOTICE } from '../offboarding/wording/deployment.js';
import { statusLine } from '../offboarding/wording/status.js';
import { decisionButtonValue } from './blocks.js';
import { mrkdwn, plain } from './escape.js';
import { describeSlackUser } from './identity.js';
import { requesterMention, SLACK_STYLE, slackDate } from './replies.js';

/** The Home tab's Approve and Reject; the same value (number and token) as the card's buttons. */
export const HOME_APPROVE_ACTION = 'offboarding_home_approve';
export const HOME_REJECT_ACTION = 'offboarding_home_reject';

/** Slack allows 100 blocks in a Home tab. */
const MAX_HOME_BLOCKS = 100;

/** The App Home of one person: what waits for them, their requests, recent outcomes. */
export function homeView(
  viewerId: string,
  overview: RequestOverview,
  options: { deployment: Deployment; notice?: string | undefined },
): HomeView {
  const blocks: KnownBlock[] = [];
  if (options.deployment.sandbox) {
    blocks.push({ type: 'context', elements: [plain(SANDBOX_NOTICE)] });
  }
  blocks.push({ type: 'header', text: plain('Genesys Cloud offboarding') });
  if (options.notice) {
    blocks.push({ type: 'section', text: mrkdwn(options.notice) });
  }
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn('Type `/offboard` or use the shortcut *Offboard someone* to request an offboarding.'),
    ],
  });

  const tail: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: mrkdwn('*Your requests*') },
    listSection(overview.mine, 'You have not requested any offboarding yet.'),
    { type: 'divider' },
    { type: 'section', text: mrkdwn('*Recently finished*') },
    listSection(overview.finished, 'Nothing has finished yet.'),
    { type: 'context', elements: [plain(organizationLine(options.deployment))] },
  ];

  if (overview.approver) {
    blocks.push({ type: 'divider' });
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Waiting for a decision* (${overview.waiting.length})`),
    });
    if (overview.waiting.length === 0) {
      blocks.push({ type: 'context', elements: [plain('Nothing waits for a decision.')] });
    }
    const room = MAX_HOME_BLOCKS - blocks.length - tail.length - 1;
    let shown = 0;
    for (const request of overview.waiting) {
      const entry = waitingEntry(viewerId, request);
      if (entry.length > room - shown * 2) break;
      blocks.push(...entry);
      shown += 1;
    }
    if (shown < overview.waiting.length) {
      blocks.push({
        type: 'context',
        elements: [plain(`…and ${overview.waiting.length - shown} more on their cards.`)],
      });
    }
  }
  blocks.push(...tail);
  return { type: 'home', blocks };
}

function waitingEntry(viewerId: string, request: OffboardingRequest): KnownBlock[] {
  const who = [request.target_name, request.target_email, request.target_department]
    .filter(Boolean)
    .join(' · ');
  const summary: KnownBlock = {
    type: 'section',
    text: mrkdwn(
      `*#${request.id}* ${SLACK_STYLE.text(who)}\n${requesterMention(request)} · ${SLACK_STYLE.text(request.reason ?? 'no reason given')} · expires ${slackDate(request.expires_at)}`,
    ),
  };
  if (request.requester_platform === 'slack' && request.requester_id === viewerId) {
    return [
      summary,
      { type: 'context', elements: [plain('Your own request: another approver decides it.')] },
    ];
  }
  return [
    summary,
    {
      type: 'actions',
      block_id: `offboarding_home_decision_${request.id}`,
      elements: [
        {
          type: 'button',
          action_id: HOME_APPROVE_ACTION,
          text: plain('Approve'),
          style: 'primary',
          value: decisionButtonValue(request),
          confirm: {
            title: plain('Approve offboarding?'),
            text: plain(approvalWarning(request)),
            confirm: plain('Approve'),
            deny: plain('Cancel'),
          },
        },
        {
          type: 'button',
          action_id: HOME_REJECT_ACTION,
          text: plain('Reject'),
          style: 'danger',
          value: decisionButtonValue(request),
        },
      ],
    },
  ];
}

function listSection(requests: OffboardingRequest[], empty: string): KnownBlock {
  if (requests.length === 0) return { type: 'context', elements: [plain(empty)] };
  return {
    type: 'section',
    text: mrkdwn(
      requests
        .map((request) => `• ${statusLine(request, SLACK_STYLE)}`)
        .join('\n')
        .slice(0, 3000),
    ),
  };
}

/**
 * Publishes Home tabs. Each person's publishes run one after another and each renders what is
 * stored when it runs, so the last publish shows the latest state; a refresh asked for while
 * one is already waiting is folded into it. A Home is rebuilt whenever it is opened, so a
 * refresh that fails (or is lost in a restart) only leaves it stale until then.
 */
export class SlackHomes {
  private readonly running = new Map<string, Promise<void>>();
  /**
   * Who opened their Home since this instance started: only their Homes are refreshed on
   * changes. Anyone else's is built fresh when they open it, so publishing to them (every
   * approver, at every step of every request) would be work nobody sees.
   */
  private readonly viewers = new Set<string>();
  private readonly waiting = new Map<string, { notice: string | undefined }>();

  constructor(
    private readonly client: WebClient,
    private readonly service: OffboardingService,
    private readonly options: {
      approvers: readonly string[];
      deployment: Deployment;
      logger: Logger;
    },
  ) {}

  /** The person opened their Home tab (or clicked in it): show it, and keep it current. */
  opened(userId: string, notice?: string): Promise<void> {
    this.viewers.add(userId);
    return this.publish(userId, notice);
  }

  /** Publishes the person's Home now (after any publish already under way for them). */
  publish(userId: string, notice?: string): Promise<void> {
    const queued = this.waiting.get(userId);
    if (queued) {
      queued.notice = notice ?? queued.notice;
      return this.running.get(userId) ?? Promise.resolve();
    }
    const slot = { notice };
    this.waiting.set(userId, slot);
    const previous = this.running.get(userId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        this.waiting.delete(userId);
        await this.render(userId, slot.notice);
      })
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, slackUser: userId }, 'Home tab not published');
      })
      .finally(() => {
        if (this.running.get(userId) === next) this.running.delete(userId);
      });
    this.running.set(userId, next);
    return next;
  }

  /**
   * After a request changed: its requester's Home and the approvers', for those who have opened
   * theirs. Never throws.
   */
  async refreshFor(
    request: Pick<OffboardingRequest, 'requester_platform' | 'requester_id'>,
    except?: string,
  ) {
    if (this.viewers.size === 0) return;
    const users = new Set(await this.approverIds());
    if (request.requester_platform === 'slack') users.add(request.requester_id);
    if (except) users.delete(except);
    const watching = [...users].filter((userId) => this.viewers.has(userId));
    await Promise.all(watching.map((userId) => this.publish(userId)));
  }

  /**
   * The same, without waiting: a Home refresh must not hold up the thread's messages or the
   * next queued command.
   */
  refreshLater(
    request: Pick<OffboardingRequest, 'requester_platform' | 'requester_id'>,
    except?: string,
  ): void {
    this.refreshFor(request, except).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'Home tabs not refreshed');
    });
  }

  /** Approver user ids, with the members of approver user groups. */
  async approverIds(): Promise<string[]> {
    const ids = new Set<string>();
    for (const id of this.options.approvers) {
      if (!id.startsWith('S')) {
        ids.add(id);
        continue;
      }
      const members = await this.client.usergroups.users
        .list({ usergroup: id })
        .then((answer) => answer.users ?? [])
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error, usergroup: id }, 'approver group not read');
          return [] as string[];
        });
      for (const member of members) ids.add(member);
    }
    return [...ids];
  }

  private async render(userId: string, notice: string | undefined): Promise<void> {
    const actor = await describeSlackUser(this.client, userId, undefined);
    if (!actor) throw new Error('users.info did not answer');
    const overview = await this.service.overviewFor(actor);
    await this.client.views.publish({
      user_id: userId,
      view: homeView(userId, overview, { deployment: this.options.deployment, notice }),
    });
  }
}
