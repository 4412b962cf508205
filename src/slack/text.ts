/**
 * Slack rewrites what users type before sending it: `jane@example.com` arrives as
 * `<mailto:jane@example.com|jane@example.com>` and `@jane` as `<@U123|jane>`. Undo the first;
 * the second is a mention the adapter resolves.
 */
export function normalizeCommandText(text: string): string {
  return text.replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, '$1').replace(/\u00a0/g, ' ');
}

export function parseMention(token: string): string | undefined {
  return /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token)?.[1];
}
