import { createHash } from 'node:crypto';
import type { CallSpec } from './call.js';
import type {
  GdprMode,
  GdprReplacementTerm,
  GdprRequestType,
  GdprSubject,
  GdprTarget,
} from './types.js';

/** What filing a GDPR request sends: the body and the query. */
export interface GdprFiling {
  body: {
    requestType: GdprRequestType;
    subject: GdprSubject;
    replacementTerms?: GdprReplacementTerm[];
  };
  query: { deleteConfirmed?: boolean };
}

/**
 * The request for `mode`. `delete` files a confirmed GDPR_DELETE for the user id (plus the email
 * when `includeEmail`); `anonymize` files a GDPR_UPDATE replacing name and email with the user's
 * pseudonym (replacement terms are valid only there).
 */
export function gdprFiling(
  target: GdprTarget,
  mode: Exclude<GdprMode, 'none'>,
  options: { includeEmail: boolean },
): GdprFiling {
  if (mode === 'delete') {
    const subject: GdprSubject = { userId: target.userId };
    if (options.includeEmail && target.email) subject.emailAddresses = [target.email];
    // A GDPR_DELETE without deleteConfirmed is not carried out.
    return { body: { requestType: 'GDPR_DELETE', subject }, query: { deleteConfirmed: true } };
  }
  const pseudonym = pseudonymFor(target.userId);
  const replacementTerms: GdprReplacementTerm[] = [];
  if (target.name) {
    replacementTerms.push({
      type: 'NAME',
      existingValue: target.name,
      updatedValue: pseudonym.name,
    });
  }
  if (target.email) {
    replacementTerms.push({
      type: 'EMAIL',
      existingValue: target.email,
      updatedValue: pseudonym.email,
    });
  }
  return {
    body: { requestType: 'GDPR_UPDATE', subject: { userId: target.userId }, replacementTerms },
    query: {},
  };
}

/** How the filing call is sent. */
export function gdprFilingCall(beforeSend: (() => Promise<void>) | undefined): CallSpec {
  return {
    operation: 'createGdprRequest',
    method: 'POST',
    path: '/api/v2/gdpr/requests',
    // Filing twice would leave two erasures to track. The workflow's GDPR step owns the one
    // look-up for a request an ambiguous attempt may have filed (workflow/gdpr-lookup.ts).
    noResendWhenAmbiguous: true,
    ...(beforeSend ? { beforeSend } : {}),
  };
}

/**
 * Deterministic, so a retried GDPR_UPDATE sends the same replacement and two requests for one
 * person agree. Derived from the user id through a hash so the pseudonym does not reveal the id.
 */
export function pseudonymFor(userId: string): { name: string; email: string } {
  const tag = createHash('sha256').update(userId).digest('hex').slice(0, 8);
  return { name: `Former employee ${tag}`, email: `former-employee-${tag}@invalid.example` };
}
