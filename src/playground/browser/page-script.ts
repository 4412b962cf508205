// The playground page's script. It runs in the browser as a classic inline script: no imports,
// no exports (tsconfig.json beside it checks it with the DOM library and page-state.d.ts; the server serves tsc's
// output, see ../page.ts). Everything from the bot or the person reaches the DOM as text nodes or
// textContent, never as HTML; the only attribute set from data is a link's href, and only for
// http(s) and mailto URLs.

(() => {
  const API = '/playground/api';
  /** Stands for "the Home tab" where renderBlocks wants a channel: its buttons post elsewhere. */
  const HOME_SURFACE = 'home';
  const EMOJI: Record<string, string> = {
    hourglass_flowing_sand: '\u23f3',
    white_check_mark: '\u2705',
    no_entry: '\u26d4',
    alarm_clock: '\u23f0',
    heavy_multiplication_x: '\u2716\ufe0f',
    gear: '\u2699\ufe0f',
    x: '\u274c',
    warning: '\u26a0\ufe0f',
    arrow_forward: '\u25b6\ufe0f',
    tada: '\ud83c\udf89',
    eyes: '\ud83d\udc40',
    wave: '\ud83d\udc4b',
    hourglass: '\u231b',
    spiral_calendar_pad: '\ud83d\uddd3\ufe0f',
    test_tube: '\ud83e\uddea',
    information_source: '\u2139\ufe0f',
    ballot_box_with_check: '\u2611\ufe0f',
    leftwards_arrow_with_hook: '\u21a9\ufe0f',
    bell: '\ud83d\udd14',
  };
  const INLINE =
    /(`[^`\n]+`)|(<[^<>\n]+>)|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])|(?<![\w~])~([^~\n]+)~(?![\w~])|:([a-z0-9_+-]+):/g;

  let state: PageState | null = null;
  let shownJson = '';
  let you = sessionStorage.getItem('playground-you') || '';

  function $<T extends HTMLElement = HTMLElement>(id: string): T {
    const node = document.getElementById(id);
    if (node === null) throw new Error(`the page has no #${id}`);
    return node as T;
  }

  function el<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    className?: string,
    text?: unknown,
  ): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** The state is set before anything is rendered from it. */
  function current(): PageState {
    if (state === null) throw new Error('rendered before the first state arrived');
    return state;
  }

  function decodeEntities(text: string): string {
    return text.replace(/&(lt|gt|amp);/g, (_, name: string) =>
      name === 'lt' ? '<' : name === 'gt' ? '>' : '&',
    );
  }

  function emojify(text: string): string {
    return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) =>
      Object.hasOwn(EMOJI, name) ? (EMOJI[name] ?? whole) : whole,
    );
  }

  function nameOf(userId: string): string {
    const names = state?.names ?? {};
    return Object.hasOwn(names, userId) ? (names[userId] ?? userId) : userId;
  }

  function channelNameOf(channelId: string): string {
    const channels = state?.channels ?? [];
    return channels.find((channel) => channel.id === channelId)?.name ?? channelId;
  }

  /** Slack mrkdwn, the parts the bot uses: *bold*, _italic_, ~strike~, code, <…> and :emoji:. */
  function appendMrkdwn(parent: HTMLElement, text: string): void {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) {
        parent.appendChild(document.createTextNode(decodeEntities(text.slice(last, match.index))));
      }
      last = match.index + match[0].length;
      if (match[1]) parent.appendChild(el('code', '', decodeEntities(match[1].slice(1, -1))));
      else if (match[2]) appendSpecial(parent, match[2].slice(1, -1));
      else if (match[3]) appendMrkdwn(parent.appendChild(el('strong')), match[3]);
      else if (match[4]) appendMrkdwn(parent.appendChild(el('em')), match[4]);
      else if (match[5]) appendMrkdwn(parent.appendChild(el('s')), match[5]);
      else parent.appendChild(document.createTextNode(emojify(match[0])));
    }
    if (last < text.length) {
      parent.appendChild(document.createTextNode(decodeEntities(text.slice(last))));
    }
  }

  /** <@U…>, <!subteam^S…>, <!date^…|…>, <#C…>, <https://…|label>. */
  function appendSpecial(parent: HTMLElement, inner: string): void {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : decodeEntities(inner.slice(bar + 1));
    if (target.charAt(0) === '@') {
      parent.appendChild(el('span', 'mention', `@${nameOf(target.slice(1))}`));
    } else if (target.charAt(0) === '#') {
      parent.appendChild(el('span', 'mention', `#${label || channelNameOf(target.slice(1))}`));
    } else if (target.indexOf('!subteam^') === 0) {
      parent.appendChild(el('span', 'mention', `@${label.replace(/^@/, '') || target.slice(9)}`));
    } else if (target.indexOf('!date^') === 0) {
      const seconds = Number(target.split('^')[1]);
      parent.appendChild(
        document.createTextNode(
          Number.isFinite(seconds)
            ? new Date(seconds * 1000).toLocaleString(undefined, {
                dateStyle: 'medium',
                timeStyle: 'short',
              })
            : label,
        ),
      );
    } else if (target === '!here' || target === '!channel' || target === '!everyone') {
      parent.appendChild(el('span', 'mention', `@${target.slice(1)}`));
    } else if (isSafeLink(decodeEntities(target))) {
      const link = el('a', '', label || decodeEntities(target));
      link.href = decodeEntities(target);
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      parent.appendChild(link);
    } else {
      parent.appendChild(document.createTextNode(label || decodeEntities(target)));
    }
  }

  function isSafeLink(url: string): boolean {
    try {
      return ['http:', 'https:', 'mailto:'].indexOf(new URL(url).protocol) !== -1;
    } catch {
      return false;
    }
  }

  function textObject(object: PageTextObject | undefined, className?: string): HTMLSpanElement {
    const node = el('span', className || '');
    if (!object || typeof object.text !== 'string') return node;
    if (object.type === 'mrkdwn') {
      node.classList.add('mrkdwn');
      appendMrkdwn(node, object.text);
    } else {
      node.classList.add('plain');
      node.textContent = object.emoji === true ? emojify(object.text) : object.text;
    }
    return node;
  }

  function plainOf(object: unknown): string {
    if (typeof object !== 'object' || object === null || !('text' in object)) return '';
    return typeof object.text === 'string' ? object.text : '';
  }

  function renderBlocks(
    container: HTMLElement,
    blocks: PageBlock[],
    message: PageMessage | null,
    channelId: string,
  ): void {
    blocks.forEach((block) => {
      if (!block || typeof block !== 'object') return;
      let node: HTMLElement;
      switch (block.type) {
        case 'header':
          node = el('div', 'block-header');
          node.appendChild(textObject(block.text));
          break;
        case 'section': {
          node = el('div', 'block-section');
          if (block.text) node.appendChild(el('div')).appendChild(textObject(block.text));
          if (Array.isArray(block.fields)) {
            const fields = node.appendChild(el('div', 'fields'));
            block.fields.forEach((field) => {
              fields.appendChild(el('div')).appendChild(textObject(field));
            });
          }
          if (block.accessory && block.accessory.type === 'button') {
            node.appendChild(button(block.accessory, message, channelId));
          }
          break;
        }
        case 'context': {
          const context = el('div', 'block-context');
          (block.elements || []).forEach((element) => {
            if (element && element.type === 'image') {
              context.appendChild(el('span', '', element.alt_text || ''));
            } else context.appendChild(textObject(element));
          });
          node = context;
          break;
        }
        case 'actions': {
          const actions = el('div', 'block-actions');
          (block.elements || []).forEach((element) => {
            if (element && element.type === 'button') {
              actions.appendChild(button(element, message, channelId));
            } else {
              actions.appendChild(el('span', 'unsupported', `[${String(element?.type)}]`));
            }
          });
          node = actions;
          break;
        }
        case 'divider':
          node = el('hr', 'block-divider');
          break;
        default:
          node = el('div', 'unsupported', `[${String(block.type)} block]`);
      }
      container.appendChild(node);
    });
  }

  function button(
    element: PageElement,
    message: PageMessage | null,
    channelId: string,
  ): HTMLButtonElement {
    const style = element.style === 'primary' || element.style === 'danger' ? element.style : '';
    const node = el('button', style ? `btn btn-${style}` : 'btn', plainOf(element.text));
    node.type = 'button';
    node.addEventListener('click', () => {
      confirmThen(element.confirm, () => {
        if (!message) {
          if (channelId === HOME_SURFACE) {
            post('/home/click', {
              userId: you,
              actionId: element.action_id,
              value: element.value,
            }).catch(() => {});
          }
          return;
        }
        node
          .closest('.message')
          ?.querySelectorAll('button')
          .forEach((b) => {
            b.disabled = true;
          });
        post('/click', {
          userId: you,
          channel: channelId,
          messageTs: message.ts,
          actionId: element.action_id,
          value: element.value,
        }).catch(() => {});
      });
    });
    return node;
  }

  function confirmThen(confirm: PageConfirm | undefined, proceed: () => void): void {
    if (!confirm) {
      proceed();
      return;
    }
    const dialog = $<HTMLDialogElement>('confirm');
    $('confirm-title').textContent = plainOf(confirm.title) || 'Are you sure?';
    const text = $('confirm-text');
    text.textContent = '';
    text.appendChild(textObject(confirm.text));
    $('confirm-ok').textContent = plainOf(confirm.confirm) || 'Yes';
    $('confirm-deny').textContent = plainOf(confirm.deny) || 'Cancel';
    $('confirm-ok').onclick = () => {
      dialog.close();
      proceed();
    };
    $('confirm-deny').onclick = () => {
      dialog.close();
    };
    dialog.showModal();
  }

  /** As in Slack, a run of replies from one author shows the name and avatar once. */
  function renderMessage(
    message: PageMessage,
    channelId: string,
    inThread: boolean,
    continued: boolean,
  ): HTMLElement {
    const item = el('article', continued ? 'message continued' : 'message');
    item.dataset.ts = message.ts;
    item.dataset.key = `${inThread ? 'reply' : 'message'}:${message.ts}`;
    item.appendChild(el('div', 'avatar', continued ? '' : 'OB'));
    const main = item.appendChild(el('div', 'message-main'));
    if (!continued) {
      const head = main.appendChild(el('div', 'message-head', nameOf(current().botUserId)));
      head.appendChild(el('span', 'app-tag', 'APP'));
      head.appendChild(timeOf(message.at));
      if (message.edited) head.appendChild(el('span', 'edited', '(edited)'));
    }
    const body = main.appendChild(el('div', 'message-body'));
    if (Array.isArray(message.blocks) && message.blocks.length > 0) {
      renderBlocks(body, message.blocks, message, channelId);
    } else appendMrkdwn(body.appendChild(el('div', 'mrkdwn')), message.text);
    if (!inThread && message.replies.length > 0) {
      const thread = main.appendChild(el('section', 'thread'));
      thread.setAttribute('aria-label', 'Thread');
      const count = message.replies.length;
      thread.appendChild(el('div', 'thread-label', count + (count === 1 ? ' reply' : ' replies')));
      message.replies.forEach((reply, index) => {
        thread.appendChild(renderMessage(reply, channelId, true, index > 0));
      });
    }
    return item;
  }

  function renderChannel(container: HTMLElement, channel: PageChannel, emptyText: string): void {
    container.textContent = '';
    if (channel.messages.length === 0) container.appendChild(el('p', 'empty', emptyText));
    channel.messages.forEach((message) => {
      container.appendChild(renderMessage(message, channel.id, false, false));
    });
  }

  function renderPeople(): void {
    const list = $('people');
    list.textContent = '';
    const { people } = current();
    people.forEach((person) => {
      const node = el('button', 'person', person.name);
      node.type = 'button';
      node.setAttribute('aria-pressed', String(person.id === you));
      node.appendChild(el('span', 'role', person.role === 'approver' ? 'approver' : 'requester'));
      node.addEventListener('click', () => {
        choose(person.id);
      });
      list.appendChild(node);
    });
    const me = people.find((p) => p.id === you);
    $('composer-who').textContent = me ? `Typing as ${me.name} (${me.role})` : '';
  }

  function renderExamples(): void {
    const list = $('examples');
    list.textContent = '';
    const { examples } = current();
    examples.forEach((example) => {
      const node = el('button', 'example', example.name);
      node.type = 'button';
      node.appendChild(el('span', 'handle', ` @${example.handle}`));
      if (example.offboarded) node.appendChild(offboardedBadge(example.offboarded));
      node.appendChild(el('span', 'email', example.email));
      node.addEventListener('click', () => {
        const input = $<HTMLInputElement>('command');
        input.value = `/offboard ${example.email} Last day Friday`;
        input.focus();
      });
      const item = list.appendChild(el('li'));
      item.appendChild(node);
      const later = item.appendChild(el('button', 'example-later', 'in 2 min'));
      later.type = 'button';
      later.title = 'Fill in a request scheduled two minutes from now';
      later.addEventListener('click', () => {
        const input = $<HTMLInputElement>('command');
        input.value = `/offboard ${example.email} on ${inTwoMinutes()} Trial of a scheduled run`;
        input.focus();
      });
    });
    $('examples-section').hidden = examples.length === 0;
  }

  const OFFBOARDED_DETAIL: Record<string, string> = {
    deleted: 'Deleted in the Genesys sandbox (a soft delete: it can still be restored)',
    erasure_filed: 'Deleted, and a GDPR request to erase their personal data is under way',
    erased: 'Personal data erased by a completed GDPR request',
  };

  /** The sandbox says this user is gone already; offboarding them again is refused. */
  function offboardedBadge(mark: string): HTMLElement {
    const badge = el('span', 'offboarded', 'offboarded');
    badge.title = OFFBOARDED_DETAIL[mark] ?? mark;
    return badge;
  }

  /** `YYYY-MM-DD at HH:MM` two minutes from now, on your Slack profile's clock. */
  function inTwoMinutes(): string {
    const timeZone = current().people.find((p) => p.id === you)?.timeZone ?? 'UTC';
    const at = new Date(Date.now() + 120_000);
    const date = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(at);
    const time = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
    return `${date} at ${time}`;
  }

  /** When something was posted, as Slack shows it beside the name. */
  function timeOf(iso: string): HTMLTimeElement {
    const at = new Date(iso);
    const node = el('time', 'time');
    if (Number.isNaN(at.getTime())) return node;
    node.dateTime = at.toISOString();
    node.textContent = at.toLocaleTimeString(undefined, { timeStyle: 'medium' });
    node.title = at.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'medium' });
    return node;
  }

  /**
   * The channel with what only you saw (your commands, the bot's private answers) among its
   * messages, in the order things happened, as Slack shows ephemeral messages.
   */
  function renderTimeline(container: HTMLElement, channel: PageChannel, notes: PageNote[]): void {
    container.textContent = '';
    const items: { at: number; node: () => HTMLElement }[] = [
      ...channel.messages.map((message) => ({
        at: Date.parse(message.at),
        node: () => renderMessage(message, channel.id, false, false),
      })),
      ...notes.map((note, index) => ({
        at: Date.parse(note.at),
        node: () => renderNote(note, noteKey(notes, index)),
      })),
    ];
    if (items.length === 0) {
      container.appendChild(el('p', 'empty', 'No messages yet. Type an /offboard command below.'));
    }
    // A stable sort: at the same millisecond the channel's message goes before the note.
    items.sort((a, b) => (a.at || 0) - (b.at || 0));
    items.forEach((item) => {
      container.appendChild(item.node());
    });
  }

  /** Stays the same when other notes arrive, even earlier ones: new ones are told apart. */
  function noteKey(notes: PageNote[], index: number): string {
    const note = notes[index];
    if (!note) return `note:${index}`;
    const twins = notes
      .slice(0, index)
      .filter((other) => other.at === note.at && other.kind === note.kind).length;
    return `note:${note.kind}:${note.at}:${twins}`;
  }

  function renderNote(note: PageNote, key: string): HTMLElement {
    const node = el('article', note.kind === 'command' ? 'note note-typed' : 'note note-reply');
    node.dataset.key = key;
    const head = node.appendChild(el('div', 'note-label'));
    head.appendChild(
      document.createTextNode(note.kind === 'command' ? 'You typed' : 'Only visible to you'),
    );
    head.appendChild(timeOf(note.at));
    if (note.kind === 'command') {
      node.appendChild(el('div', 'note-command', note.text));
    } else if (Array.isArray(note.blocks) && note.blocks.length > 0) {
      renderBlocks(node, note.blocks, null, '');
    } else appendMrkdwn(node.appendChild(el('div', 'mrkdwn')), note.text);
    return node;
  }

  function render(): void {
    const [requests, notices] = current().channels;
    if (!requests || !notices) return;
    $('channel-title').textContent = `#${requests.name}`;
    $('notice-title').textContent = `#${notices.name}`;
    $('command').setAttribute('aria-label', `Message #${requests.name}`);
    renderPeople();
    renderExamples();
    renderTimeline($('timeline'), requests, current().onlyYou);
    renderChannel($('notices'), notices, 'Outcomes of finished requests appear here.');
    renderModal();
    renderHome();
  }

  // The request modal (views.open) and the Home tab (views.publish), as Slack would show them.
  let shownModalId = '';

  function renderModal(): void {
    const dialog = $<HTMLDialogElement>('modal');
    const modal = current().modal;
    if (!modal) {
      shownModalId = '';
      if (dialog.open) dialog.close();
      return;
    }
    // views.update redraws the same view (its mode): drawn again when its metadata changes.
    const shown = `${modal.id}:${modal.view.private_metadata || ''}`;
    if (shown === shownModalId && dialog.open) return;
    shownModalId = shown;
    $('modal-title').textContent = plainOf(modal.view.title);
    const form = $<HTMLFormElement>('modal-form');
    form.textContent = '';
    const fields: Record<string, () => string> = {};
    (modal.view.blocks || []).forEach((block) => {
      // What the modal asks (the Reject modal's question) is shown above its fields.
      if (block.type === 'section' && block.text)
        form.appendChild(el('p', '', plainOf(block.text)));
      if (block.type === 'actions') {
        (block.elements || []).forEach((element) => {
          if (element.type === 'radio_buttons') form.appendChild(radioButtons(modal.id, element));
        });
        return;
      }
      if (block.type !== 'input' || !block.element || !block.block_id) return;
      const blockId = block.block_id;
      const field = form.appendChild(el('div', 'modal-field'));
      const label = field.appendChild(el('label', '', plainOf(block.label)));
      const inputId = `modal-${blockId}`;
      label.htmlFor = inputId;
      let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
      switch (block.element.type) {
        case 'external_select': {
          const text = el('input');
          const list = field.appendChild(el('datalist'));
          list.id = `${inputId}-options`;
          text.setAttribute('list', list.id);
          text.placeholder = 'Type a name or an email';
          const minimum = block.element.min_query_length || 1;
          text.addEventListener('input', () => {
            if (text.value.trim().length < minimum || text.value.includes('@')) return;
            post('/modal/suggest', { userId: you, viewId: modal.id, value: text.value })
              .then((answer) => {
                list.textContent = '';
                const options = (answer as { options?: PageTextObject[] }).options || [];
                options.forEach((option) => {
                  const item = list.appendChild(el('option'));
                  item.value = String((option as { value?: string }).value || '');
                  item.label = plainOf(option.text);
                });
              })
              .catch(() => {});
          });
          input = text;
          break;
        }
        case 'datepicker':
          input = el('input');
          input.type = 'date';
          break;
        case 'timepicker':
          input = el('input');
          input.type = 'time';
          break;
        case 'conversations_select': {
          const select = el('select');
          select.appendChild(el('option', '', 'Choose a channel')).value = '';
          current().channels.forEach((channel) => {
            const option = select.appendChild(el('option', '', `#${channel.name}`));
            option.value = channel.id;
          });
          select.value = block.element.initial_conversation || '';
          input = select;
          break;
        }
        case 'file_input': {
          // No file store here: the chosen file's lines are added to the emails above.
          const file = el('input');
          file.type = 'file';
          file.accept = '.csv,.txt,text/csv,text/plain';
          file.addEventListener('change', () => {
            const chosen = file.files?.[0];
            const lines = form.querySelector<HTMLTextAreaElement>(
              '#modal-offboarding_people_block',
            );
            if (!chosen || !lines) return;
            chosen
              .text()
              .then((text) => {
                // As the bot reads an attached CSV: a first row without an address is a header.
                const rows = text.split(/\r?\n/).filter((row) => row.trim() !== '');
                if (rows.length > 0 && !rows[0]?.includes('@')) rows.shift();
                lines.value = [lines.value.trim(), ...rows].filter(Boolean).join('\n');
              })
              .catch(() => {});
          });
          input = file;
          break;
        }
        default:
          input = el('textarea');
          if (block.element.multiline) input.rows = 6;
      }
      input.id = inputId;
      field.appendChild(input);
      if (block.hint) field.appendChild(el('span', 'modal-hint', plainOf(block.hint)));
      field.appendChild(el('p', 'composer-error')).id = `${inputId}-error`;
      fields[blockId] = () => (input.type === 'file' ? '' : input.value);
    });
    const buttons = form.appendChild(el('div', 'dialog-buttons'));
    const cancel = buttons.appendChild(el('button', 'btn', 'Cancel'));
    cancel.type = 'button';
    cancel.addEventListener('click', () => {
      post('/modal/close', { userId: you, viewId: modal.id }).catch(() => {});
    });
    const submit = buttons.appendChild(
      el('button', 'btn btn-primary', plainOf(modal.view.submit) || 'Submit'),
    );
    submit.type = 'submit';
    const value = (blockId: string) => (fields[blockId] ? fields[blockId]() : '');
    form.onsubmit = (event) => {
      event.preventDefault();
      post('/modal/submit', {
        userId: you,
        viewId: modal.id,
        email: value('offboarding_person_block'),
        day: value('offboarding_last_day_block'),
        time: value('offboarding_last_time_block'),
        reason: value('offboarding_reason_block') || value('offboarding_reject_reason_block'),
        channel: value('offboarding_channel_block'),
        people: value('offboarding_people_block'),
      })
        .then((answer) => {
          const errors = (answer as { errors?: Record<string, string> }).errors || {};
          form.querySelectorAll('.composer-error').forEach((node) => {
            node.textContent = errors[node.id.replace(/^modal-/, '').replace(/-error$/, '')] || '';
          });
        })
        .catch(() => {});
    };
    if (!dialog.open) dialog.showModal();
  }

  /** One person / Several people: the choice goes to the bot, which redraws the modal. */
  function radioButtons(
    viewId: string,
    element: NonNullable<PageInputBlock['elements']>[number],
  ): HTMLElement {
    const group = el('div', 'modal-field');
    (element.options || []).forEach((option) => {
      const label = group.appendChild(el('label'));
      const radio = label.appendChild(el('input'));
      radio.type = 'radio';
      radio.name = `modal-${element.action_id || 'mode'}`;
      radio.value = option.value || '';
      radio.checked = option.value === element.initial_option?.value;
      radio.addEventListener('change', () => {
        post('/modal/mode', { userId: you, viewId, mode: radio.value }).catch(() => {});
      });
      label.appendChild(document.createTextNode(` ${plainOf(option.text)}`));
    });
    return group;
  }

  function renderHome(): void {
    const dialog = $<HTMLDialogElement>('home');
    if (!dialog.open) return;
    const container = $('home-blocks');
    container.textContent = '';
    const blocks = current().home;
    if (!blocks) container.appendChild(el('p', 'empty', 'Loading your Home tab…'));
    else renderBlocks(container, blocks, null, HOME_SURFACE);
  }

  $('open-shortcut').addEventListener('click', () => {
    post('/shortcut', { userId: you }).catch(() => {});
  });
  $('open-home').addEventListener('click', () => {
    $<HTMLDialogElement>('home').showModal();
    renderHome();
    post('/home', { userId: you }).catch(() => {});
  });
  $('home-close').addEventListener('click', () => {
    $<HTMLDialogElement>('home').close();
  });

  // Keeping the reader's place. What is new since the last drawing is found by the data-key of
  // messages, thread replies and notes. A private reply is what the person waits for after acting:
  // it is brought into view then, and otherwise announced by a jump control if off-screen.
  const ACTION_ANSWER_WINDOW_MS = 30_000;
  let lastActionAt = 0;
  let seenKeys: Set<string> | null = null;
  let seenFor = '';

  function drawnKeys(): Set<string> {
    const keys = new Set<string>();
    $('timeline')
      .querySelectorAll<HTMLElement>('[data-key]')
      .forEach((node) => {
        keys.add(node.dataset.key ?? '');
      });
    return keys;
  }

  function nearBottom(): boolean {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
  }

  /** Not hidden above the window nor behind the composer, which sticks to its bottom. */
  function inView(node: HTMLElement): boolean {
    const box = node.getBoundingClientRect();
    const bottom = $('composer-area').getBoundingClientRect().top;
    return box.top >= 0 && box.bottom <= bottom;
  }

  function renderKeepingPlace(): void {
    const firstForThisPerson = seenKeys === null || seenFor !== you;
    const wasAtBottom = nearBottom();
    render();
    const keys = drawnKeys();
    const fresh = (selector: string) =>
      [...$('timeline').querySelectorAll<HTMLElement>(selector)].filter(
        (node) => !firstForThisPerson && !seenKeys?.has(node.dataset.key ?? ''),
      );
    const newestReply = fresh('.note-reply').pop();
    // A card or a note of the channel itself, not a reply in a thread.
    const newestItem = fresh('#timeline > [data-key]').pop();
    seenKeys = keys;
    seenFor = you;
    // An announcement was for the person shown before.
    if (firstForThisPerson) hideJump();
    const answeringThem = Date.now() - lastActionAt < ACTION_ANSWER_WINDOW_MS;
    if (newestReply && (wasAtBottom || answeringThem)) {
      bringIntoView(newestReply);
    } else if (newestReply && !inView(newestReply)) {
      offerJumpTo(newestReply);
    } else if (newestItem && answeringThem) {
      // What their command just posted (their note, then the card).
      bringIntoView(newestItem);
    } else if (wasAtBottom) {
      window.scrollTo(0, document.body.scrollHeight);
    }
  }

  function bringIntoView(node: HTMLElement): void {
    node.scrollIntoView({ block: 'end' });
    hideJump();
  }

  function offerJumpTo(node: HTMLElement): void {
    const jump = $<HTMLButtonElement>('jump-to-reply');
    jump.hidden = false;
    jump.onclick = () => {
      const target = document.querySelector<HTMLElement>(
        `[data-key="${CSS.escape(node.dataset.key ?? '')}"]`,
      );
      if (target) bringIntoView(target);
      else hideJump();
    };
  }

  function hideJump(): void {
    $('jump-to-reply').hidden = true;
  }

  // Reading down to the newest reply answers the announcement.
  window.addEventListener('scroll', () => {
    const replies = $('timeline').querySelectorAll<HTMLElement>('.note-reply');
    const last = replies[replies.length - 1];
    if (last && inView(last)) hideJump();
  });

  /**
   * The refresh in flight, if any, and whom it was for. Only the latest one may change the page:
   * an answer for someone the page no longer shows (a person switch while it was on the way)
   * would otherwise put the previous person back, and the next click would act as them.
   */
  let inFlight: { sequence: number; forYou: string } | null = null;
  let refreshSequence = 0;

  function isCurrent(sequence: number): boolean {
    return inFlight !== null && inFlight.sequence === sequence;
  }

  /** `supersede`: what was on the way may predate an action of the person; ask again. */
  function refresh(options: { supersede?: boolean } = {}): Promise<void> {
    if (inFlight !== null && inFlight.forYou === you && !options.supersede) {
      return Promise.resolve();
    }
    refreshSequence += 1;
    const sequence = refreshSequence;
    inFlight = { sequence, forYou: you };
    return fetch(`${API}/state?userId=${encodeURIComponent(you)}`, { cache: 'no-store' })
      .then((response) => response.json() as Promise<PageState & { error?: string }>)
      .then((next) => {
        if (!isCurrent(sequence)) return;
        if (next.error && you !== '') {
          // Someone this page remembered is not in the cast any more: start over as the default.
          inFlight = null;
          choose('');
          return;
        }
        if (next.error) throw new Error(next.error);
        // A first visit names nobody: the server says whom the page starts as.
        you = next.you;
        const json = JSON.stringify(next);
        if (json === shownJson) return;
        state = next;
        shownJson = json;
        renderKeepingPlace();
      })
      .catch((error: Error) => {
        if (isCurrent(sequence)) {
          $('composer-error').textContent = `Cannot reach the bot: ${error.message}`;
        }
      })
      .finally(() => {
        if (isCurrent(sequence)) inFlight = null;
      });
  }

  function post(path: string, body: unknown): Promise<unknown> {
    $('composer-error').textContent = '';
    lastActionAt = Date.now();
    return fetch(API + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((response) =>
        response.json().then((answer: { error?: string }) => {
          if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
          return answer;
        }),
      )
      .catch((error: Error) => {
        $('composer-error').textContent = error.message;
        throw error;
      })
      .finally(() => {
        shownJson = '';
        refresh({ supersede: true });
      });
  }

  function choose(userId: string): void {
    you = userId;
    sessionStorage.setItem('playground-you', userId);
    shownJson = '';
    // Whoever was shown until now stays on screen until the new state arrives: say at once who
    // acts, since that is who the next click acts as.
    if (state !== null) renderPeople();
    refresh();
  }

  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('command');
    const text = input.value.trim();
    if (text === '') {
      $('composer-error').textContent =
        'Type a command: /offboard alone opens the form, or /offboard jane.doe@example.com Last day Friday.';
      return;
    }
    post('/command', { userId: you, text }).then(
      () => {
        input.value = '/offboard ';
      },
      () => {},
    );
  });

  // Starting over: every request, message and Genesys change goes, after a confirm.
  $('reset-trial').addEventListener('click', () => {
    confirmThen(
      {
        title: { text: 'Start the trial over?' },
        text: {
          text: 'Every request, message and private reply goes, and the Genesys sandbox is back to its demo org. This cannot be undone.',
        },
        confirm: { text: 'Reset' },
        deny: { text: 'Cancel' },
      },
      () => {
        post('/reset', {}).catch(() => {});
      },
    );
  });

  refresh();
  setInterval(() => {
    refresh();
  }, 1000);
})();
