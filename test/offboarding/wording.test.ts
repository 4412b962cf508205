import { describe, expect, it } from 'vitest';
import { CardRedraws, refreshesCard } from '../../src/offboarding/card-refresh.js';
import type { Decision } from '../../src/offboarding/decision.table.js';
import type { WorkflowEvent } from '../../src/offboarding/events.js';
import type { CancelOutcome, DecisionOutcome } from '../../src/offboarding/offboarding.service.js';
import { runProgress, type StepRecord } from '../../src/offboarding/progress.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import {
  cardSummary,
  decidedLine,
  expiredLine,
  statusText,
  targetFacts,
} from '../../src/offboarding/wording/card.js';
import { describeEvent } from '../../src/offboarding/wording/events.js';
import { usageText } from '../../src/offboarding/wording/help.js';
import {
  cancelRefusal,
  decisionRefusal,
  type RequestRefusal,
  requestRefusal,
} from '../../src/offboarding/wording/refusals.js';
import {
  invalidStatusNumber,
  recentRequestsText,
  STATE_LABELS,
  statusLine,
} from '../../src/offboarding/wording/status.js';
import type { TextStyle } from '../../src/offboarding/wording/style.js';
import { SLACK_STYLE, SLACK_USAGE } from '../../src/slack/replies.js';
import { TEAMS_STYLE, TEAMS_USAGE } from '../../src/teams/messages.js';

/** Text from users or Genesys that Slack would turn into a ping, a link or markup. */
const HOSTILE = '<!channel> <https://evil.example|click> & co';
const ESCAPED = '&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; co';

const STYLES: [string, TextStyle][] = [
  ['Slack', SLACK_STYLE],
  ['Teams', TEAMS_STYLE],
];

function request(overrides: Partial<OffboardingRequest> = {}): OffboardingRequest {
  return {
    id: 7,
    state: 'pending',
    target_genesys_id: 'g-1',
    target_name: `Jane ${HOSTILE}`,
    target_email: `jane${HOSTILE}@example.com`,
    target_department: null,
    target_title: null,
    target_division: null,
    target_state: 'active',
    requester_platform: 'teams',
    requester_id: 'aad-1',
    requester_name: `Maria ${HOSTILE}`,
    requester_email: 'maria@example.com',
    reason: HOSTILE,
    gdpr_mode: 'delete',
    gdpr_request_id: null,
    gdpr_status: HOSTILE,
    chat_channel_id: null,
    chat_message_id: null,
    chat_context: null,
    failure_reason: HOSTILE,
    decision_token: 'tok-7',
    target_email_hash: null,
    redacted_at: null,
    created_at: new Date('2026-11-28T10:00:00Z'),
    updated_at: new Date('2026-11-28T10:00:00Z'),
    expires_at: new Date('2026-12-05T10:00:00Z'),
    finished_at: null,
    batch_id: null,
    erasure_due_at: null,
    erasure_reminded_at: null,
    reminders_sent: 0,
    expiry_warned_at: null,
    run_at: null,
    requester_time_zone: null,
    ...overrides,
  };
}

const decision: Decision = {
  id: 1,
  request_id: 7,
  decision: 'rejected',
  decider_platform: 'teams',
  decider_id: 'aad-2',
  decider_name: `Adam ${HOSTILE}`,
  decider_email: 'adam@example.com',
  reason: null,
  decided_at: new Date('2026-11-29T08:30:00Z'),
};

/** Every request refusal, each carrying user or Genesys text where it has any. */
const REQUEST_REFUSALS: Record<RequestRefusal['kind'], RequestRefusal> = {
  invalid_email: { kind: 'invalid_email', input: HOSTILE },
  invalid_schedule: { kind: 'invalid_schedule', problem: { kind: 'bad_date', input: HOSTILE } },
  not_allowed: { kind: 'not_allowed' },
  guest: { kind: 'guest' },
  self_target: { kind: 'self_target' },
  user_not_found: { kind: 'user_not_found', email: HOSTILE },
  ambiguous_user: { kind: 'ambiguous_user', email: HOSTILE, count: 2 },
  already_deleted: { kind: 'already_deleted', email: HOSTILE },
  already_open: { kind: 'already_open', request: request() },
  genesys_unavailable: { kind: 'genesys_unavailable', message: HOSTILE },
};
const WITH_USER_TEXT = new Set<string>([
  'invalid_email',
  'invalid_schedule',
  'user_not_found',
  'ambiguous_user',
  'already_deleted',
  'already_open',
  'genesys_unavailable',
]);

type Refused = Exclude<DecisionOutcome, { kind: 'decided' }>;
const DECISION_REFUSALS: Record<Refused['kind'], Refused> = {
  not_found: { kind: 'not_found' },
  stale_card: { kind: 'stale_card' },
  guest: { kind: 'guest' },
  unknown_identity: { kind: 'unknown_identity' },
  own_offboarding: { kind: 'own_offboarding' },
  not_approver: { kind: 'not_approver' },
  self_decision: { kind: 'self_decision' },
  expired: { kind: 'expired', request: request() },
  already_decided: { kind: 'already_decided', request: request(), decision },
  approval_recorded: {
    kind: 'approval_recorded',
    request: request(),
    decision: { ...decision, decision: 'approved' },
    approvals: [{ ...decision, decision: 'approved' }],
    required: 2,
  },
  already_approved_by_you: {
    kind: 'already_approved_by_you',
    request: request(),
    approvals: [{ ...decision, decision: 'approved' }],
    required: 2,
  },
};

describe('request refusals', () => {
  for (const [kind, outcome] of Object.entries(REQUEST_REFUSALS)) {
    it(`${kind}: a message on both platforms; Slack escapes what users and Genesys wrote`, () => {
      for (const [, style] of STYLES)
        expect(requestRefusal(outcome, style).length).toBeGreaterThan(20);
      const slack = requestRefusal(outcome, SLACK_STYLE);
      expect(slack).not.toContain('<!channel>');
      expect(slack).not.toContain('<https://evil');
      if (WITH_USER_TEXT.has(kind)) {
        expect(slack).toContain(ESCAPED);
        // Teams text is sent as plain text: shown as typed, nothing to escape.
        expect(requestRefusal(outcome, TEAMS_STYLE)).toContain(HOSTILE);
      }
    });
  }

  it('the platforms differ where they must: who to ask, and the link to an open request', () => {
    expect(requestRefusal({ kind: 'not_allowed' }, SLACK_STYLE)).toContain('SLACK_REQUESTERS');
    expect(requestRefusal({ kind: 'not_allowed' }, TEAMS_STYLE)).toContain('Ask your bot admin');
    const open = REQUEST_REFUSALS.already_open;
    expect(requestRefusal(open, SLACK_STYLE, 'https://slack.example/p1')).toContain(
      '<https://slack.example/p1|see the request>',
    );
    expect(requestRefusal(open, TEAMS_STYLE, 'https://ignored')).not.toContain('ignored');
    expect(requestRefusal(open, TEAMS_STYLE)).toContain('“offboard status 7”');
  });
});

describe('cancel refusals', () => {
  const outcomes: Exclude<CancelOutcome, { kind: 'cancelled' }>[] = [
    { kind: 'not_found' },
    { kind: 'stale_card' },
    { kind: 'guest' },
    { kind: 'unknown_identity' },
    { kind: 'own_offboarding' },
    { kind: 'not_allowed' },
    { kind: 'not_cancellable', request: request({ state: 'running' }) },
    { kind: 'not_cancellable', request: request({ state: 'completed' }) },
  ];
  it('say why, and that nothing changed; a cancel needs no refusal', () => {
    for (const outcome of outcomes) {
      expect(cancelRefusal(outcome, 7)).toMatch(/^.{20,}$/);
    }
    expect(cancelRefusal(outcomes[6] as CancelOutcome, 7)).toBe(
      'Request #7 has already started, so it can no longer be cancelled. Nothing was changed.',
    );
    expect(cancelRefusal(outcomes[7] as CancelOutcome, 7)).toContain(
      'is already closed (completed)',
    );
    expect(cancelRefusal({ kind: 'cancelled', request: request() }, 7)).toBeUndefined();
  });

  it('a scheduled request’s status says when it runs, in the requester’s zone', () => {
    const scheduled = request({
      state: 'scheduled',
      run_at: new Date('2026-12-18T17:00:00Z'),
      requester_time_zone: 'Europe/Paris',
    });
    expect(statusLine(scheduled, TEAMS_STYLE)).toContain(
      'runs Fri 18 Dec 2026, 18:00 CET (17:00 UTC)',
    );
  });
});

describe('decision refusals', () => {
  for (const [kind, outcome] of Object.entries(DECISION_REFUSALS)) {
    it(`${kind}: a message on both platforms, with nothing Slack would act on`, () => {
      for (const [, style] of STYLES) {
        expect(decisionRefusal(outcome, style)?.length).toBeGreaterThan(20);
      }
      expect(decisionRefusal(outcome, SLACK_STYLE)).not.toContain('<!channel>');
    });
  }

  it('an earlier decider is a mention in Slack when they are a Slack user, else an escaped name', () => {
    const byTeams = decisionRefusal(DECISION_REFUSALS.already_decided, SLACK_STYLE);
    expect(byTeams).toContain(`by Adam ${ESCAPED}`);
    const bySlack = decisionRefusal(
      {
        ...DECISION_REFUSALS.already_decided,
        decision: { ...decision, decider_platform: 'slack', decider_id: 'U0ADAM' },
      } as Refused,
      SLACK_STYLE,
    );
    expect(bySlack).toContain('by <@U0ADAM>');
  });

  it('a recorded decision needs no message', () => {
    expect(
      decisionRefusal({ kind: 'decided', request: request(), decision }, SLACK_STYLE),
    ).toBeUndefined();
  });
});

describe('status, card and event lines', () => {
  it('escape user and Genesys text in Slack, and keep it as written in Teams', () => {
    const r = request({ state: 'expired', finished_at: new Date('2026-12-05T10:00:00Z') });
    const lines = (style: TextStyle) => [
      statusLine(r, style),
      recentRequestsText([r], style),
      invalidStatusNumber(HOSTILE, style),
      cardSummary(r, style),
      decidedLine(decision, style),
      describeEvent(r, { type: 'completed' }, style).text,
      describeEvent(r, { type: 'outcome_notice', outcome: 'failed', error: 'x' }, style).text,
      describeEvent(r, { type: 'expired' }, style).text,
      describeEvent(r, { type: 'cancelled', byName: `Adam ${HOSTILE}` }, style).text,
    ];
    for (const text of lines(SLACK_STYLE)) {
      expect(text).toContain(ESCAPED);
      expect(text).not.toContain('<!channel>');
    }
    for (const text of lines(TEAMS_STYLE)) expect(text).toContain(HOSTILE);
    expect(expiredLine(r, TEAMS_STYLE)).toBe(
      'Expired on 2026-12-05 10:00 UTC without a decision. Nothing was changed in Genesys Cloud.',
    );
  });

  it('usage: the same content, with the platform-only lines', () => {
    const deployment = { organizationName: `Acme ${HOSTILE}`, sandbox: false };
    const slack = usageText(SLACK_STYLE, SLACK_USAGE, deployment, true);
    const teams = usageText(TEAMS_STYLE, TEAMS_USAGE, deployment, false);
    expect(slack).toMatch(/^Tell me whom to offboard\./);
    expect(slack).toContain('`/offboard @jane Last day Friday`');
    expect(slack).not.toContain('notify here');
    expect(slack).toContain(`Genesys Cloud organization: Acme ${ESCAPED}`);
    expect(teams).toContain('“offboard notify here”');
    expect(teams).not.toContain('@jane');
    expect(teams).toContain(`Genesys Cloud organization: Acme ${HOSTILE}`);
  });
});

describe('which events refresh the request card', () => {
  it('the ends of a request, the start of its run, and each step and GDPR status as it comes', () => {
    const events: WorkflowEvent[] = [
      { type: 'run_started' },
      { type: 'scheduled', runAt: '2026-12-18T17:00:00.000Z' },
      { type: 'step_started', step: 'soft_delete' },
      { type: 'step_succeeded', step: 'soft_delete' },
      { type: 'step_retrying', step: 'soft_delete', error: 'x', retryInSeconds: 5 },
      { type: 'completed' },
      { type: 'failed', step: undefined, error: 'x' },
      { type: 'expired' },
      { type: 'cancelled', byName: 'Adam' },
      { type: 'rejected', byName: 'Adam' },
      { type: 'outcome_notice', outcome: 'completed' },
      { type: 'outcome_notice', outcome: 'rejected', byName: 'Adam' },
      { type: 'gdpr_status', gdprRequestId: 'g', status: 'PENDING' },
      { type: 'approval_reminder', approvals: 0, required: 1 },
    ];
    expect(events.filter(refreshesCard).map((event) => event.type)).toEqual([
      'run_started',
      'step_started',
      'step_succeeded',
      'completed',
      'failed',
      'expired',
      'cancelled',
      'rejected',
      'gdpr_status',
    ]);
  });
});

describe('the card’s run progress, from the stored steps', () => {
  const at = new Date('2026-12-02T10:00:00Z');
  const later = new Date('2026-12-02T10:00:05Z');
  const step = (
    name: StepRecord['step'],
    status: StepRecord['status'],
    result: unknown = null,
    updatedAt = at,
  ): StepRecord => ({ step: name, status, result, updated_at: updatedAt });
  const running = {
    ...request(),
    state: 'running' as const,
    updated_at: at,
  };

  it('names the step under way and its place; Genesys state only changes once the soft delete succeeded', () => {
    const steps = [
      step('revoke_tokens', 'succeeded'),
      step('soft_delete', 'running', null, later),
      step('revoke_tokens_again', 'pending'),
      step('file_gdpr', 'pending'),
      step('poll_gdpr', 'pending'),
    ];
    const progress = runProgress(running, steps);
    expect(statusText(running, progress)).toBe('Running: soft delete (2 of 5)');
    expect(progress.genesysState).toBeUndefined();
    expect(progress.version).toBe(later.getTime());
    expect(targetFacts(running, progress)).toContainEqual({
      label: 'Genesys state',
      value: running.target_state,
    });

    const deleted = runProgress(running, [
      step('revoke_tokens', 'succeeded'),
      step('soft_delete', 'succeeded'),
      step('revoke_tokens_again', 'running'),
    ]);
    expect(statusText(running, deleted)).toBe('Running: revoke sessions again (3 of 3)');
    expect(targetFacts(running, deleted)).toContainEqual({
      label: 'Genesys state',
      value: 'deleted',
    });
  });

  it('after completion: the GDPR request id and its final status from the last step, no step', () => {
    const completed = { ...running, state: 'completed' as const, gdpr_status: 'IN_PROGRESS' };
    const progress = runProgress(completed, [
      step('soft_delete', 'succeeded'),
      step('file_gdpr', 'succeeded', { gdprRequestId: 'g-1', status: 'INITIATED' }),
      step('poll_gdpr', 'succeeded', { gdprRequestId: 'g-1', status: 'COMPLETED' }),
    ]);
    expect(statusText(completed, progress)).toBe(STATE_LABELS.completed);
    expect(targetFacts(completed, progress)).toContainEqual({
      label: 'GDPR request',
      value: 'g-1 (COMPLETED)',
    });
  });

  it('restored shows active again', () => {
    const restored = { ...running, state: 'restored' as const };
    const progress = runProgress(restored, [step('soft_delete', 'succeeded')]);
    expect(progress.genesysState).toBe('active');
    expect(progress.gdpr).toBeUndefined();
  });
});

describe('card redraws on one instance', () => {
  it('run one at a time per card and drop one made from an older state', async () => {
    const redraws = new CardRedraws();
    const drawn: number[] = [];
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = redraws.redraw(1, 20, async () => {
      await released;
      drawn.push(20);
    });
    const older = redraws.redraw(1, 10, async () => {
      drawn.push(10);
    });
    const newer = redraws.redraw(1, 30, async () => {
      drawn.push(30);
    });
    release();
    expect(await Promise.all([slow, older, newer])).toEqual([true, false, true]);
    expect(drawn).toEqual([20, 30]);
  });
});
