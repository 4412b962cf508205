/** The text after `/offboard` (Slack) or after the bot's name (Teams), understood the same way. */
export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'status'; requestId: number | undefined }
  | { kind: 'status_invalid'; input: string }
  | { kind: 'notify_here' }
  | { kind: 'offboard'; target: string; reason: string | undefined }
  | { kind: 'empty' };

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function isValidEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const keyword = first.toLowerCase();
  if (keyword === 'help' && rest.length === 0) return { kind: 'help' };
  if (keyword === 'status') {
    if (rest.length === 0) return { kind: 'status', requestId: undefined };
    const id = (rest[0] ?? '').replace(/^#/, '');
    if (rest.length === 1 && /^\d{1,9}$/.test(id)) return { kind: 'status', requestId: Number(id) };
    return { kind: 'status_invalid', input: rest.join(' ') };
  }
  if (keyword === 'notify' && rest.length === 1 && rest[0]?.toLowerCase() === 'here') {
    return { kind: 'notify_here' };
  }
  const reason = trimmed.slice(first.length).trim();
  return { kind: 'offboard', target: first, reason: reason === '' ? undefined : reason };
}
