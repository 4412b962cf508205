import { isGenesysError } from '../../genesys/errors.js';
import type { StepHandler } from './step.js';

export const softDelete: StepHandler = async ({ request, genesys }) => {
  try {
    await genesys.softDeleteUser(request.target_genesys_id);
    return { kind: 'succeeded', detail: 'The user is deleted in Genesys Cloud (reversible).' };
  } catch (error) {
    // A retry after a crash that happened after Genesys applied the delete finds it done.
    if (isGenesysError(error) && error.status === 404) {
      const deleted = await genesys.getUser(request.target_genesys_id, { state: 'deleted' });
      if (deleted?.state === 'deleted') {
        return { kind: 'succeeded', detail: 'The user was already deleted in Genesys Cloud.' };
      }
    }
    throw error;
  }
};
