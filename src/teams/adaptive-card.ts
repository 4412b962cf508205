/**
 * The small part of the Adaptive Card schema the bot uses, as plain JSON types.
 *
 * Markdown: a TextBlock renders a subset of markdown (`*bold*`, `_italic_`, `[link](url)`,
 * lists), and Teams offers no way to escape it. A TextRun inside a RichTextBlock is never read
 * as markdown. So the bot's cards hold no TextBlock at all: every string, ours or from a person
 * or Genesys, is a TextRun, and what you put in is what Teams shows.
 */

export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'bolder';
  italic?: boolean;
  color?: 'attention' | 'good' | 'warning' | 'accent';
  isSubtle?: boolean;
  size?: 'small' | 'medium' | 'large';
}

export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: 'none' | 'small' | 'medium';
  separator?: boolean;
}

export interface Container {
  type: 'Container';
  style?: 'attention' | 'good' | 'warning' | 'emphasis';
  items: CardElement[];
  spacing?: 'medium';
  separator?: boolean;
}

/** A form input; Teams sends its value in the Execute action's data under its `id`. */
export interface InputElement {
  type: 'Input.Text' | 'Input.Date' | 'Input.Time';
  id: string;
  label: string;
  value?: string;
  placeholder?: string;
  isMultiline?: boolean;
  isRequired?: boolean;
  /** Shown by the client when a required input is empty. */
  errorMessage?: string;
  maxLength?: number;
}

/** Buttons inside the body, e.g. one set per request in a list. */
export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

export type CardElement = RichTextBlock | Container | InputElement | ActionSet;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: Record<string, unknown>;
  style?: 'positive' | 'destructive';
}

/** Universal Actions: Teams sends an `adaptiveCard/action` invoke and shows the card we answer. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, unknown>;
  style?: 'positive' | 'destructive';
  /** For clients without Universal Actions. */
  fallback: SubmitAction;
}

/** Opens a card below the buttons: our confirmation step before an irreversible action. */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: CardAction[] };
}

export type CardAction = ExecuteAction | ShowCardAction;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  msteams: { width: 'Full' };
}

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export function adaptiveCard(body: CardElement[], actions: CardAction[] = []): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}

/** Literal text: shown exactly as given, whatever characters it holds. */
export function run(text: string, style: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  // An empty TextRun is dropped by some clients, which would shift the line's meaning.
  return { type: 'TextRun', text: text === '' ? ' ' : text, ...style };
}

/** One paragraph of literal runs. */
export function line(
  inlines: Array<TextRun | string>,
  layout: Pick<RichTextBlock, 'spacing' | 'separator'> = {},
): RichTextBlock {
  return {
    type: 'RichTextBlock',
    inlines: inlines.map((inline) => (typeof inline === 'string' ? run(inline) : inline)),
    ...layout,
  };
}

/** `Label: value` with the label bold and the value literal. */
export function field(label: string, value: string): RichTextBlock {
  return line([run(`${label}: `, { weight: 'bolder' }), run(value)], { spacing: 'none' });
}

/** A bold title line. */
export function heading(text: string, size: 'medium' | 'large' = 'medium'): RichTextBlock {
  return line([run(text, { weight: 'bolder', size })]);
}
