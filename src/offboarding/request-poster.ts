import type { OffboardingRequest } from './request.table.js';

/** Where a request's card was posted, in the platform's own addressing. */
export interface MessageLocation {
  channelId: string;
  messageId: string;
  /** What the platform needs besides, to reply in the card's thread or update it. */
  context?: unknown;
}

/** Why approvers could not be shown a request. Adapters add what they need to tell the requester. */
export interface Undeliverable {
  /** Recorded as the reason the request was cancelled. */
  reason: string;
}

export type PostResult<Why extends Undeliverable = Undeliverable> =
  | { posted: MessageLocation }
  | { undeliverable: Why };

/**
 * The port through which the service shows a pending request to its approvers; each chat adapter
 * implements it. What the platform refuses is answered as `undeliverable`, not thrown: the
 * service then cancels the request rather than leave it where nobody can approve it.
 */
export interface RequestPoster<Why extends Undeliverable = Undeliverable> {
  post(request: OffboardingRequest): Promise<PostResult<Why>>;
}
