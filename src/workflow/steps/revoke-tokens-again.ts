import { isGenesysError } from '../../genesys/errors.js';
import type { StepHandler } from './step.js';

/**
 * The user could still log in between the first revoke and the soft delete; a session opened
 * then would outlive the delete. Revoke once more. Genesys may answer 404 for a deleted user:
 * that also means no session is left.
 */
export const revokeTokensAgain: StepHandler = async ({ request, genesys }) => {
  try {
    await genesys.revokeTokens(request.target_genesys_id);
    return {
      kind: 'succeeded',
      detail: 'Sessions opened since the first revoke were revoked too.',
    };
  } catch (error) {
    if (isGenesysError(error) && error.status === 404) {
      return { kind: 'succeeded', detail: 'No session was left after the delete.' };
    }
    throw error;
  }
};
