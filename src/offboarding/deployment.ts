/** What the people deciding must know about where the bot acts, on every platform. */
export interface Deployment {
  /** The Genesys Cloud organization the database belongs to (GET /api/v2/organizations/me). */
  organizationName: string;
  /**
   * The built-in emulator serves a real chat platform (GENESYS_SANDBOX=true): every card and
   * reply says so, or people would believe a "deleted" user has lost access.
   */
  sandbox: boolean;
}
