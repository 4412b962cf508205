import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/offboarding/decision.table.js';
import type { OffboardingRequest } from '../../src/offboarding/request.table.js';
import { requestCard } from '../../src/teams/cards.js';
import { eventText } from '../../src/teams/messages.js';
import { cardText, executeActions, markdownTexts } from '../helpers/teams-harness.js';

const MARKDOWN = '*bold* _it_ [link](http://x) <at>Everyone</at> # head';

function request(overrides: Partial<OffboardingRequest> = {}): OffboardingRequest {
  return {
    id: 7,
    state: 'pending',
    target_genesys_id: 'g-1',
    target_name: `Jane ${MARKDOWN}`,
    target_email: 'jane.doe@example.com',
    target_department: '**Support**',
    target_title: null,
    target_division: 'Home',
    target_state: 'active',
    requester_platform: 'teams',
    requester_id: 'aad-1',
    requester_name: 'Maria [admin](http://evil)',
    requester_email: 'maria@example.com',
    reason: MARKDOWN,
    gdpr_mode: 'delete',
    gdpr_request_id: null,
    gdpr_status: null,
    chat_channel_id: null,
    chat_message_id: null,
    chat_context: null,
    failure_reason: null,
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

/** Every object in the card, to check what each element type is. */
function elements(card: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    found.push(node as Record<string, unknown>);
    Object.values(node).forEach(visit);
  };
  visit(card);
  return found;
}

describe('the request card renders user and Genesys text literally', () => {
  it('puts every text in TextRuns, which Teams never reads as markdown', () => {
    const card = requestCard(request(), { approvers: ['ada@example.com'] });
    expect(markdownTexts(card)).toEqual([]);
    const types = new Set(
      elements(card)
        .map((e) => e.type)
        .filter(Boolean),
    );
    expect([...types].sort()).toEqual(
      [
        'Action.Execute',
        'Action.ShowCard',
        'Action.Submit',
        'AdaptiveCard',
        // Reject's reason: Teams shows what is typed literally.
        'Input.Text',
        'RichTextBlock',
        'TextRun',
      ].sort(),
    );
    const runs = elements(card)
      .filter((e) => e.type === 'TextRun')
      .map((e) => e.text);
    // Exactly as typed, not escaped: a TextRun shows backslashes and entities as they are.
    expect(runs).toContain(MARKDOWN);
    expect(runs).toContain(`Jane ${MARKDOWN}`);
    expect(runs).toContain('**Support**');
    expect(runs).toContain('Maria [admin](http://evil)');
    expect(cardText(card)).not.toContain('\\*');
  });

  it('after a decision: who, when, and no buttons; the decider name is literal too', () => {
    const decision: Decision = {
      id: 1,
      request_id: 7,
      decision: 'rejected',
      decider_platform: 'teams',
      decider_id: 'aad-2',
      decider_name: '*Adam*',
      decider_email: 'adam@example.com',
      reason: null,
      decided_at: new Date('2026-11-29T08:30:00Z'),
    };
    const card = requestCard(request({ state: 'rejected' }), { approvers: [], decision });
    expect(cardText(card)).toContain('Rejected by *Adam* on 2026-11-29 08:30 UTC · ⛔ Rejected');
    expect(executeActions(card)).toEqual([]);
    expect(card.actions).toBeUndefined();
    expect(markdownTexts(card)).toEqual([]);
  });

  it('with two approvals needed: the count and who approved, buttons still there', () => {
    const approval: Decision = {
      id: 2,
      request_id: 7,
      decision: 'approved',
      decider_platform: 'slack',
      decider_id: 'U0ADAM',
      decider_name: '*Adam*',
      decider_email: 'adam@example.com',
      reason: null,
      decided_at: new Date('2026-11-29T08:30:00Z'),
    };
    const waiting = requestCard(request(), {
      approvers: [],
      approvals: [approval],
      approvalsRequired: 2,
    });
    expect(cardText(waiting)).toContain('1 of 2 approvals: *Adam*');
    expect(executeActions(waiting).length).toBeGreaterThan(0);
    expect(markdownTexts(waiting)).toEqual([]);
    const single = requestCard(request(), { approvers: [], approvalsRequired: 1 });
    expect(cardText(single)).not.toContain('approvals');
  });

  it('a note for the clicker only, still literal', () => {
    const card = requestCard(request(), { approvers: [], note: 'Nothing was changed.' });
    expect(cardText(card)).toContain('Only you see this: Nothing was changed.');
  });

  it('thread replies are plain text carrying Genesys errors verbatim', () => {
    const text = eventText(request(), {
      type: 'failed',
      step: 'soft_delete',
      error: 'Genesys said *no* [here](http://x)',
    });
    expect(text).toBe(
      '❌ Offboarding stopped at "Soft delete the user". Nothing after that step ran. An admin can retry it once the cause is fixed.\nGenesys said *no* [here](http://x)',
    );
  });
});
