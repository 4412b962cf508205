import type { GdprMode } from '../genesys/types.js';

/**
 * The catalogue of offboarding steps: everything the domain knows about each step, in one place.
 * The workflow binds a handler to every name (src/workflow/steps/index.ts) and runs, for a
 * request, the steps its GDPR mode includes, in the order written here.
 */

/** Every step, in the order a run takes them. */
export const STEP_NAMES = [
  'revoke_tokens',
  'soft_delete',
  /** After the soft delete: closes sessions opened between the first revoke and the delete. */
  'revoke_tokens_again',
  'file_gdpr',
  'poll_gdpr',
] as const;

export type StepName = (typeof STEP_NAMES)[number];

export interface StepDefinition {
  /** How the request's thread names the step ("Soft delete the user: done."). */
  label: string;
  /** How the card names the step while it runs ("Running: soft delete (2 of 4)"). */
  runningLabel: string;
  /**
   * Its Genesys call cannot be undone: the approval card warns about it, and the runner never
   * starts it while another attempt may still be in it.
   */
  irreversible: boolean;
  /** The GDPR modes whose runs include the step. */
  modes: readonly GdprMode[];
  /**
   * The approval card's "What happens when approved" line, per GDPR mode. A mode without a line
   * says nothing of the step (following the GDPR request is told with filing it); a line for a
   * mode that leaves the step out tells the approver what will not happen.
   */
  card: Partial<Record<GdprMode, string>>;
}

const EVERY_MODE: readonly GdprMode[] = ['delete', 'anonymize', 'none'];
/** The modes that file a GDPR request. */
const FILING_MODES: readonly GdprMode[] = ['delete', 'anonymize'];

/** A step added to STEP_NAMES without its definition here does not compile. */
export const STEPS: Readonly<Record<StepName, StepDefinition>> = {
  revoke_tokens: {
    label: 'Revoke sessions',
    runningLabel: 'revoke sessions',
    irreversible: false,
    modes: EVERY_MODE,
    card: sameForEvery(
      EVERY_MODE,
      "Revoke all of the user's Genesys Cloud sessions and OAuth tokens.",
    ),
  },
  soft_delete: {
    label: 'Soft delete the user',
    runningLabel: 'soft delete',
    irreversible: false,
    modes: EVERY_MODE,
    card: sameForEvery(
      EVERY_MODE,
      'Soft delete the user: they can no longer log in (an admin can restore them).',
    ),
  },
  revoke_tokens_again: {
    label: 'Revoke sessions again',
    runningLabel: 'revoke sessions again',
    irreversible: false,
    modes: EVERY_MODE,
    card: sameForEvery(
      EVERY_MODE,
      'Revoke sessions again, closing any opened between the first revoke and the delete.',
    ),
  },
  file_gdpr: {
    label: 'File the GDPR request',
    runningLabel: 'file the GDPR request',
    irreversible: true,
    modes: FILING_MODES,
    card: {
      delete:
        "File a GDPR erasure request (GDPR_DELETE) for the user's personal data and follow it to completion. Irreversible: the data is erased and the user can never be restored.",
      anonymize:
        "File a GDPR pseudonymisation request (GDPR_UPDATE) replacing the user's name and email with a pseudonym in retained history, and follow it to completion. Irreversible: the original name and email cannot be brought back.",
      none: 'No GDPR request (GDPR_MODE=none): the personal data Genesys retains stays.',
    },
  },
  poll_gdpr: {
    label: 'Follow the GDPR request',
    runningLabel: 'follow the GDPR request',
    irreversible: false,
    modes: FILING_MODES,
    card: {},
  },
};

function sameForEvery(modes: readonly GdprMode[], line: string): Partial<Record<GdprMode, string>> {
  return Object.fromEntries(modes.map((mode) => [mode, line]));
}

/** The steps a run of this GDPR mode takes, in order. */
export function stepsFor(mode: GdprMode): StepName[] {
  return STEP_NAMES.filter((step) => STEPS[step].modes.includes(mode));
}

export interface PlannedAction {
  text: string;
  /** Warned about on the card: the step runs in this mode and cannot be undone. */
  irreversible: boolean;
}

/** The approval card's "What happens when approved" list for a GDPR mode. */
export function plannedActions(mode: GdprMode): PlannedAction[] {
  return STEP_NAMES.flatMap((step) => {
    const definition = STEPS[step];
    const text = definition.card[mode];
    if (text === undefined) return [];
    return [{ text, irreversible: definition.irreversible && definition.modes.includes(mode) }];
  });
}
