import type { EvidenceOutcome } from '../offboarding.service.js';
import { STATE_LABELS } from './status.js';
import type { TextStyle } from './style.js';

/** The Evidence button's label on a completed request's card. */
export const EVIDENCE_LABEL = 'Evidence';

/** What the clicker is told when no evidence is sent; undefined when it is. */
export function evidenceRefusal(
  outcome: EvidenceOutcome,
  requestId: number,
  style: TextStyle,
): string | undefined {
  switch (outcome.kind) {
    case 'evidence':
      return undefined;
    case 'not_found':
      return `There is no request #${requestId}.`;
    case 'stale_card':
      return 'This card is out of date: it does not belong to the current request with this number. No evidence was sent.';
    case 'guest':
      return 'Guest accounts cannot get the evidence of an offboarding. No evidence was sent.';
    case 'unknown_identity':
      return 'I could not read your email address, so I cannot check that this request is not about you. No evidence was sent; try again, or ask your bot admin.';
    case 'own_offboarding':
      return 'This request is about you, so its evidence goes to the requester and the approvers only. No evidence was sent.';
    case 'not_allowed':
      return `Only the person who filed request #${requestId} or an approver can get its evidence. No evidence was sent.`;
    case 'not_completed':
      return `Request #${requestId} is ${STATE_LABELS[outcome.request.state].toLowerCase()}, not completed: evidence is of a completed offboarding. ${style.command(`status ${requestId}`)} shows where it stands.`;
  }
}

/** The message the two files arrive with, in the clicker's direct messages. */
export function evidenceComment(requestId: number): string {
  return `Evidence of offboarding request #${requestId}: the JSON record and the same as a page you can print to PDF. Check the audit chain with \`npm run audit -- --verify\`.`;
}

/** Told to the clicker once the files are in their direct messages. */
export function evidenceSentReply(requestId: number): string {
  return `I sent the evidence of request #${requestId} (JSON and HTML) to your direct messages with me.`;
}

export const EVIDENCE_FAILED = 'Something went wrong and the evidence was not sent. Try again.';

/** The command a bot admin runs where the chat cannot carry the files. */
export function evidenceCommand(requestId: number): string {
  return `npm run evidence -- ${requestId} --out DIR`;
}

/**
 * Teams has no way for this bot to hand over the files: in a personal chat a bot may send a file
 * only through the file consent card, which uploads it to the person's OneDrive (and needs the
 * app manifest's `supportsFiles` and a OneDrive); in channels and group chats a bot cannot send
 * files at all. Inline attachments are for images. So the clicker is told, with the command.
 */
export function teamsEvidenceReply(requestId: number, style: TextStyle): string {
  return `Teams does not let this bot send files here (in channels and group chats a bot cannot send files, and in a personal chat only through a OneDrive upload this bot does not do). No evidence was sent. Ask your bot admin to run ${style.code(evidenceCommand(requestId))} on the bot's server: it writes the JSON record and the same as an HTML page you can print to PDF.`;
}
