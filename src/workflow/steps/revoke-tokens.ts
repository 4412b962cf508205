import { isGenesysError } from '../../genesys/errors.js';
import type { StepHandler } from './step.js';

export const revokeTokens: StepHandler = async ({ request, genesys }) => {
  try {
    await genesys.revokeTokens(request.target_genesys_id);
    return { kind: 'succeeded', detail: 'Every OAuth token and session of the user was revoked.' };
  } catch (error) {
    // A user deleted since the request (by hand, or by an earlier try of this run) has no sessions.
    if (isGenesysError(error) && error.status === 404) {
      const deleted = await genesys.getUser(request.target_genesys_id, { state: 'deleted' });
      if (deleted?.state === 'deleted') {
        return { kind: 'succeeded', detail: 'The user is already deleted; no sessions remain.' };
      }
    }
    throw error;
  }
};
