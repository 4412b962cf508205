/**
 * Slack mrkdwn treats `&`, `<` and `>` as control characters: `<!channel>` pings everyone and
 * `<https://x|y>` hides a link. Escaping them is what Slack documents. Formatting characters
 * (`*bold*`) cannot be escaped in mrkdwn, so text from users or Genesys goes into `plain_text`
 * objects (see blocks.ts) and passes through here only where mrkdwn is unavoidable.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A plain_text object: rendered literally whatever it contains. Slack caps most at 3000 chars. */
export function plain(
  text: string,
  maxLength = 3000,
): { type: 'plain_text'; text: string; emoji: boolean } {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return { type: 'plain_text', text: clipped === '' ? ' ' : clipped, emoji: false };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** `<@U1>` for a user, `<!subteam^S1>` for a user group: Slack notifies them. */
export function mentionSlackId(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}
