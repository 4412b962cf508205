import { MAX_BATCH_SIZE } from '../offboarding/batch.service.js';
import type { RequestOverview } from '../offboarding/offboarding.service.js';
import type { OffboardingRequest } from '../offboarding/request.table.js';
import type { RequestFormErrors } from '../offboarding/request-form.js';
import { MAX_REASON_LENGTH } from '../offboarding/request-form.js';
import { statusLine } from '../offboarding/wording/status.js';
import { utcMinute } from '../offboarding/wording/style.js';
import {
  type AdaptiveCard,
  adaptiveCard,
  type CardElement,
  heading,
  line,
  run,
} from './adaptive-card.js';
import { decisionActions } from './cards.js';
import { TEAMS_STYLE } from './messages.js';

/** The Action.Execute verb of the request form's submit button. */
export const REQUEST_FORM_VERB = 'offboarding.request';

/** The form's input ids, which are also the keys of the submitted data. */
export const FORM_INPUTS = {
  emails: 'offboardingEmails',
  lastDay: 'offboardingLastDay',
  lastTime: 'offboardingLastTime',
  reason: 'offboardingReason',
} as const;

/** What the form sent back; every value a string as Teams sends it (missing when left empty). */
export interface RequestFormData {
  emails: string;
  lastDay: string | undefined;
  lastTime: string | undefined;
  reason: string;
}

export function parseRequestFormData(data: unknown): RequestFormData {
  const values = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : '');
  return {
    emails: text(FORM_INPUTS.emails),
    lastDay: text(FORM_INPUTS.lastDay).trim() || undefined,
    lastTime: text(FORM_INPUTS.lastTime).trim() || undefined,
    reason: text(FORM_INPUTS.reason),
  };
}

/** Problems of the form, by field; `emails` covers the person (or people) to offboard. */
export type TeamsFormErrors = RequestFormErrors & { emails?: string };

/**
 * `offboard` with nothing after it: a form. Submitted again with what was entered and the
 * problems under their fields when something is wrong.
 */
export function requestFormCard(
  entered: Partial<RequestFormData> = {},
  errors: TeamsFormErrors = {},
): AdaptiveCard {
  const problem = (message: string | undefined): CardElement[] =>
    message ? [line([run(message, { color: 'attention' })], { spacing: 'none' })] : [];
  const body: CardElement[] = [
    heading('Offboard someone'),
    {
      type: 'Input.Text',
      id: FORM_INPUTS.emails,
      label: `Genesys Cloud email (several people: one email per line, up to ${MAX_BATCH_SIZE})`,
      placeholder: 'jane.doe@example.com',
      isMultiline: true,
      isRequired: true,
      errorMessage: 'Enter the email of the person to offboard.',
      ...(entered.emails ? { value: entered.emails } : {}),
    },
    ...problem(errors.emails ?? errors.targetEmail),
    {
      type: 'Input.Date',
      id: FORM_INPUTS.lastDay,
      label: 'Last day (optional, your time zone)',
      ...(entered.lastDay ? { value: entered.lastDay } : {}),
    },
    ...problem(errors.lastDay),
    {
      type: 'Input.Time',
      id: FORM_INPUTS.lastTime,
      label: 'Time on the last day (optional)',
      ...(entered.lastTime ? { value: entered.lastTime } : {}),
    },
    ...problem(errors.lastTime),
    {
      type: 'Input.Text',
      id: FORM_INPUTS.reason,
      label: 'Reason',
      isMultiline: true,
      isRequired: true,
      maxLength: MAX_REASON_LENGTH,
      errorMessage: 'Give a reason: approvers and the audit trail need one.',
      ...(entered.reason ? { value: entered.reason } : {}),
    },
    ...problem(errors.reason),
  ];
  return adaptiveCard(body, [
    {
      type: 'Action.Execute',
      title: 'Request',
      verb: REQUEST_FORM_VERB,
      data: {},
      style: 'positive',
      fallback: { type: 'Action.Submit', title: 'Request', data: { offboardingForm: true } },
    },
  ]);
}

/** The form once accepted: it cannot be sent twice, and says what happens next. */
export function formAcceptedCard(email: string): AdaptiveCard {
  return adaptiveCard([
    heading('Offboard someone'),
    line([
      run(
        `Looking up ${email} in Genesys Cloud. The request card appears where approvers see it; “status” shows where it stands.`,
      ),
    ]),
  ]);
}

const LIST_LIMIT = 10;

/** `offboard list`: what waits for this approver, each request with its decision buttons. */
export function waitingListCard(
  viewerId: string,
  overview: RequestOverview,
  note?: string | undefined,
): AdaptiveCard {
  const body: CardElement[] = [heading(`Waiting for a decision (${overview.waiting.length})`)];
  if (note) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [line([run('Only you see this: ', { weight: 'bolder' }), run(note)])],
    });
  }
  if (overview.waiting.length === 0) body.push(line([run('Nothing waits for a decision.')]));
  for (const request of overview.waiting.slice(0, LIST_LIMIT)) {
    body.push(waitingEntry(viewerId, request));
  }
  if (overview.waiting.length > LIST_LIMIT) {
    body.push(
      line([run(`…and ${overview.waiting.length - LIST_LIMIT} more on their cards.`)], {
        separator: true,
      }),
    );
  }
  return adaptiveCard(body);
}

function waitingEntry(viewerId: string, request: OffboardingRequest): CardElement {
  const own = request.requester_platform === 'teams' && request.requester_id === viewerId;
  return {
    type: 'Container',
    separator: true,
    items: [
      line([
        run(`#${request.id} `, { weight: 'bolder' }),
        run(
          [request.target_name, request.target_email, request.target_department]
            .filter(Boolean)
            .join(' · '),
        ),
      ]),
      line(
        [
          run(
            `Requested by ${request.requester_name ?? 'someone'} · ${request.reason ?? 'no reason given'} · expires ${utcMinute(request.expires_at)}`,
            { isSubtle: true },
          ),
        ],
        { spacing: 'none' },
      ),
      own
        ? line([run('Your own request: another approver decides it.', { isSubtle: true })])
        : { type: 'ActionSet', actions: decisionActions(request, 'teams_list') },
    ],
  };
}

/** For someone who may not decide: their own requests, as `status` shows them. */
export function ownRequestsText(overview: RequestOverview): string {
  const lines = overview.mine.map((request) => statusLine(request, TEAMS_STYLE));
  return [
    'Only approvers have requests waiting for them.',
    lines.length > 0 ? `Your recent requests:\n${lines.join('\n')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
