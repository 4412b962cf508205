// Global types for page-script.ts (a classic script, so no imports): the shapes of
// ../visible-state.ts's PlaygroundState, as far as the page reads them.

interface PageTextObject {
  type?: string;
  /** A string in a text object; a button's `text` is a text object itself. */
  text?: unknown;
  emoji?: boolean;
}

interface PageConfirm {
  title?: PageTextObject;
  text?: PageTextObject;
  confirm?: PageTextObject;
  deny?: PageTextObject;
}

interface PageElement extends PageTextObject {
  style?: string;
  action_id?: string;
  value?: string;
  confirm?: PageConfirm;
  alt_text?: string;
}

interface PageBlock {
  type?: string;
  text?: PageTextObject;
  fields?: PageTextObject[];
  accessory?: PageElement;
  elements?: PageElement[];
}

interface PageMessage {
  ts: string;
  /** ISO-8601: when it was posted (Slack's ts is that instant). */
  at: string;
  text: string;
  blocks?: PageBlock[];
  edited: boolean;
  replies: PageMessage[];
}

interface PageChannel {
  id: string;
  name: string;
  messages: PageMessage[];
}

interface PagePerson {
  id: string;
  name: string;
  role: string;
  /** Their Slack profile's time zone, which a scheduled time is read in. */
  timeZone: string;
}

interface PageNote {
  /** ISO-8601: when it was typed or answered. */
  at: string;
  kind: 'command' | 'reply';
  text: string;
  blocks?: PageBlock[];
}

interface PageState {
  you: string;
  people: PagePerson[];
  names: Record<string, string>;
  botUserId: string;
  channels: PageChannel[];
  onlyYou: PageNote[];
  examples: PageExample[];
  /** The request modal open for you (views.open), if any. */
  modal?: { id: string; view: PageView };
  /** Your Home tab as the bot last published it. */
  home?: PageBlock[];
}

interface PageExample {
  name: string;
  email: string;
  handle: string;
  /** 'deleted' | 'erasure_filed' | 'erased' when the sandbox has them offboarded already. */
  offboarded?: string;
}

interface PageView {
  title?: PageTextObject;
  submit?: PageTextObject;
  blocks?: PageInputBlock[];
  /** Says which mode the request modal is in; it changes when views.update redraws it. */
  private_metadata?: string;
}

/** An option of radio buttons (the request modal's One person / Several people). */
interface PageOption {
  text?: PageTextObject;
  value?: string;
}

interface PageInputBlock {
  type?: string;
  block_id?: string;
  optional?: boolean;
  label?: PageTextObject;
  hint?: PageTextObject;
  /** A section's words (the Reject modal's question). */
  text?: PageTextObject;
  element?: {
    type?: string;
    action_id?: string;
    min_query_length?: number;
    initial_conversation?: string;
    multiline?: boolean;
  };
  /** An `actions` block's elements, e.g. radio buttons. */
  elements?: Array<{
    type?: string;
    action_id?: string;
    options?: PageOption[];
    initial_option?: PageOption;
  }>;
}
