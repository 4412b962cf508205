import type { StepName } from '../../offboarding/steps.js';
import { fileGdpr } from './file-gdpr.js';
import { pollGdpr } from './poll-gdpr.js';
import { revokeTokens } from './revoke-tokens.js';
import { revokeTokensAgain } from './revoke-tokens-again.js';
import { softDelete } from './soft-delete.js';
import type { StepHandler } from './step.js';

/**
 * What runs each step of the catalogue (src/offboarding/steps.ts). A step named there without a
 * handler here does not compile.
 */
export const STEP_HANDLERS = {
  revoke_tokens: revokeTokens,
  soft_delete: softDelete,
  revoke_tokens_again: revokeTokensAgain,
  file_gdpr: fileGdpr,
  poll_gdpr: pollGdpr,
} satisfies Record<StepName, StepHandler>;
