// Shapes the bot uses from the Genesys Cloud Platform API (its published swagger definitions).
// Only the fields the bot relies on are typed; the emulator answers with the full spec shapes.

export type GenesysUserState = 'active' | 'inactive' | 'deleted';

export interface GenesysUser {
  id: string;
  name: string;
  email: string;
  state: GenesysUserState;
  department?: string;
  title?: string;
  division?: { id: string; name?: string };
  version: number;
}

export type GdprRequestType = 'GDPR_EXPORT' | 'GDPR_UPDATE' | 'GDPR_DELETE';

export type GdprStatus =
  | 'INITIATED'
  | 'SEARCHING'
  | 'UPDATING'
  | 'DELETING'
  | 'FINALIZING'
  | 'COMPLETED'
  | 'ERROR';

export interface GdprSubject {
  name?: string;
  userId?: string;
  emailAddresses?: string[];
  phoneNumbers?: string[];
  addresses?: string[];
  externalId?: string;
}

export interface GdprReplacementTerm {
  type: 'NAME' | 'ADDRESS' | 'PHONE' | 'EMAIL' | 'EXTERNAL_ID';
  existingValue: string;
  updatedValue: string;
}

export interface GdprRequest {
  id: string;
  requestType: GdprRequestType;
  status: GdprStatus;
  createdDate: string;
  createdBy?: { id?: string; name?: string };
  subject: GdprSubject;
  replacementTerms?: GdprReplacementTerm[];
  resultsUrl?: string;
}

export interface GdprRequestPage {
  entities: GdprRequest[];
  pageNumber: number;
  pageSize: number;
  pageCount: number;
  total: number;
}

/** `delete` erases (GDPR_DELETE), `anonymize` pseudonymises (GDPR_UPDATE), `none` files nothing. */
export const GDPR_MODES = ['delete', 'anonymize', 'none'] as const;
export type GdprMode = (typeof GDPR_MODES)[number];

/** What the bot needs to know about the person to erase or pseudonymise. */
export interface GdprTarget {
  userId: string;
  name: string;
  email: string;
}

/** The Genesys Cloud organization the credentials belong to (GET /api/v2/organizations/me). */
export interface GenesysOrganization {
  id: string;
  name: string;
}

/** The single seam between the bot and Genesys Cloud. Implemented over the official SDK. */
export interface GenesysClient {
  /** All active or inactive users whose email matches exactly (search does not see deleted users). */
  findUsersByEmail(email: string): Promise<GenesysUser[]>;
  /**
   * Active or inactive users whose name or email contains `text` (case-insensitive), people whose
   * name or email starts with it first; at most `limit` (one search page). For people pickers.
   */
  searchUsers(text: string, limit: number): Promise<GenesysUser[]>;
  /** The user, or undefined when Genesys answers 404. `state` defaults to active like the API. */
  getUser(userId: string, options?: { state?: GenesysUserState }): Promise<GenesysUser | undefined>;
  /** Ends every OAuth session of the user. */
  revokeTokens(userId: string): Promise<void>;
  /** DELETE /api/v2/users/{id}; reversible. */
  softDeleteUser(userId: string): Promise<void>;
  /** Undoes a soft delete (PATCH state=active with the current version). */
  restoreUser(userId: string): Promise<GenesysUser>;
  /**
   * Files the GDPR request for `mode` (never called with `none`). Irreversible in delete mode, so
   * never re-sent after an ambiguous answer (5xx, timeout, reset): that error is thrown, and the
   * caller looks for the request before trying again. `beforeSend` runs before each send.
   */
  createGdprRequest(
    target: GdprTarget,
    mode: Exclude<GdprMode, 'none'>,
    options?: { beforeSend?: () => Promise<void> },
  ): Promise<GdprRequest>;
  getGdprRequest(requestId: string): Promise<GdprRequest>;
  listGdprRequests(page?: { pageNumber?: number; pageSize?: number }): Promise<GdprRequestPage>;
  /** The organization the OAuth client belongs to. */
  getOrganization(): Promise<GenesysOrganization>;
}
