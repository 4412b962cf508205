/**
 * What the user typed, as the shared command parser expects it (`jane@example.com reason`,
 * `status 12`, `notify here`). The bot's own mention is removed by botbuilder before this.
 * Teams may still send markup: other people's `<at>` mentions (kept as the name), an email
 * auto-linked as `<a href="mailto:…">`, and non-breaking spaces or entities. The leading
 * `offboard` is optional, since in Teams there is no slash command to carry it.
 */
export function commandText(text: string): string {
  const plain = text
    .replace(/<a\s[^>]*href="mailto:([^"]+)"[^>]*>.*?<\/a>/gi, '$1')
    // Unwrap, not drop: other markup-looking text is what the user typed, and stays.
    .replace(/<\/?(?:at|a)(?:\s[^>]*)?>/gi, '')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
  return plain.replace(/^offboard(?:\s+|$)/i, '');
}
