/**
 * The playground page's script, plain browser JavaScript (no build step). Everything from the bot
 * or the person reaches the DOM as text nodes or textContent, never as HTML; the only attribute
 * set from data is a link's href, and only for http(s) and mailto URLs.
 *
 * Kept inside String.raw so regexes keep their backslashes; the script itself therefore uses
 * neither backticks (\x60 in regexes instead) nor template interpolation.
 */
export const PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var API = '/playground/api';
  var EMOJI = {
    hourglass_flowing_sand: '\u23f3', white_check_mark: '\u2705', no_entry: '\u26d4',
    alarm_clock: '\u23f0', heavy_multiplication_x: '\u2716\ufe0f', gear: '\u2699\ufe0f',
    x: '\u274c', warning: '\u26a0\ufe0f', arrow_forward: '\u25b6\ufe0f', tada: '\ud83c\udf89',
    eyes: '\ud83d\udc40', wave: '\ud83d\udc4b'
  };
  var INLINE = /(\x60[^\x60\n]+\x60)|(<[^<>\n]+>)|(?<![\w*])\*([^*\n]+)\*(?![\w*])|(?<![\w_])_([^_\n]+)_(?![\w_])|(?<![\w~])~([^~\n]+)~(?![\w~])|:([a-z0-9_+-]+):/g;

  var state = null;
  var shownJson = '';
  var you = sessionStorage.getItem('playground-you') || '';
  var fetching = false;

  function $(id) { return document.getElementById(id); }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function decodeEntities(text) {
    return text.replace(/&(lt|gt|amp);/g, function (_, name) {
      return name === 'lt' ? '<' : name === 'gt' ? '>' : '&';
    });
  }

  function emojify(text) {
    return text.replace(/:([a-z0-9_+-]+):/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : whole;
    });
  }

  function nameOf(userId) {
    var names = (state && state.names) || {};
    return Object.prototype.hasOwnProperty.call(names, userId) ? names[userId] : userId;
  }

  function channelNameOf(channelId) {
    var channels = (state && state.channels) || [];
    for (var i = 0; i < channels.length; i++) if (channels[i].id === channelId) return channels[i].name;
    return channelId;
  }

  /** Slack mrkdwn, the parts the bot uses: *bold*, _italic_, ~strike~, code, <…> and :emoji:. */
  function appendMrkdwn(parent, text) {
    var last = 0;
    for (var match of text.matchAll(INLINE)) {
      if (match.index > last) parent.appendChild(document.createTextNode(decodeEntities(text.slice(last, match.index))));
      last = match.index + match[0].length;
      if (match[1]) parent.appendChild(el('code', '', decodeEntities(match[1].slice(1, -1))));
      else if (match[2]) appendSpecial(parent, match[2].slice(1, -1));
      else if (match[3]) appendMrkdwn(parent.appendChild(el('strong')), match[3]);
      else if (match[4]) appendMrkdwn(parent.appendChild(el('em')), match[4]);
      else if (match[5]) appendMrkdwn(parent.appendChild(el('s')), match[5]);
      else parent.appendChild(document.createTextNode(emojify(match[0])));
    }
    if (last < text.length) parent.appendChild(document.createTextNode(decodeEntities(text.slice(last))));
  }

  /** <@U…>, <!subteam^S…>, <!date^…|…>, <#C…>, <https://…|label>. */
  function appendSpecial(parent, inner) {
    var bar = inner.indexOf('|');
    var target = bar === -1 ? inner : inner.slice(0, bar);
    var label = bar === -1 ? '' : decodeEntities(inner.slice(bar + 1));
    if (target.charAt(0) === '@') {
      parent.appendChild(el('span', 'mention', '@' + nameOf(target.slice(1))));
    } else if (target.charAt(0) === '#') {
      parent.appendChild(el('span', 'mention', '#' + (label || channelNameOf(target.slice(1)))));
    } else if (target.indexOf('!subteam^') === 0) {
      parent.appendChild(el('span', 'mention', '@' + (label.replace(/^@/, '') || target.slice(9))));
    } else if (target.indexOf('!date^') === 0) {
      var seconds = Number(target.split('^')[1]);
      parent.appendChild(document.createTextNode(Number.isFinite(seconds)
        ? new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
        : label));
    } else if (target === '!here' || target === '!channel' || target === '!everyone') {
      parent.appendChild(el('span', 'mention', '@' + target.slice(1)));
    } else if (isSafeLink(decodeEntities(target))) {
      var link = el('a', '', label || decodeEntities(target));
      link.href = decodeEntities(target);
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      parent.appendChild(link);
    } else {
      parent.appendChild(document.createTextNode(label || decodeEntities(target)));
    }
  }

  function isSafeLink(url) {
    try { return ['http:', 'https:', 'mailto:'].indexOf(new URL(url).protocol) !== -1; }
    catch (e) { return false; }
  }

  function textObject(object, className) {
    var node = el('span', className || '');
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

  function plainOf(object) {
    return object && typeof object.text === 'string' ? object.text : '';
  }

  function renderBlocks(container, blocks, message, channelId) {
    blocks.forEach(function (block) {
      if (!block || typeof block !== 'object') return;
      var node;
      switch (block.type) {
        case 'header':
          node = el('div', 'block-header');
          node.appendChild(textObject(block.text));
          break;
        case 'section':
          node = el('div', 'block-section');
          if (block.text) node.appendChild(el('div')).appendChild(textObject(block.text));
          if (Array.isArray(block.fields)) {
            var fields = node.appendChild(el('div', 'fields'));
            block.fields.forEach(function (field) { fields.appendChild(el('div')).appendChild(textObject(field)); });
          }
          if (block.accessory && block.accessory.type === 'button') {
            node.appendChild(button(block.accessory, message, channelId));
          }
          break;
        case 'context':
          node = el('div', 'block-context');
          (block.elements || []).forEach(function (element) {
            if (element && element.type === 'image') node.appendChild(el('span', '', element.alt_text || ''));
            else node.appendChild(textObject(element));
          });
          break;
        case 'actions':
          node = el('div', 'block-actions');
          (block.elements || []).forEach(function (element) {
            if (element && element.type === 'button') node.appendChild(button(element, message, channelId));
            else node.appendChild(el('span', 'unsupported', '[' + String(element && element.type) + ']'));
          });
          break;
        case 'divider':
          node = el('hr', 'block-divider');
          break;
        default:
          node = el('div', 'unsupported', '[' + String(block.type) + ' block]');
      }
      container.appendChild(node);
    });
  }

  function button(element, message, channelId) {
    var node = el('button', 'btn' + (element.style === 'primary' || element.style === 'danger' ? ' btn-' + element.style : ''), plainOf(element.text));
    node.type = 'button';
    node.addEventListener('click', function () {
      confirmThen(element.confirm, function () {
        if (!message) return;
        node.closest('.message').querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        post('/click', { userId: you, channel: channelId, messageTs: message.ts, actionId: element.action_id, value: element.value });
      });
    });
    return node;
  }

  function confirmThen(confirm, proceed) {
    if (!confirm) { proceed(); return; }
    var dialog = $('confirm');
    $('confirm-title').textContent = plainOf(confirm.title) || 'Are you sure?';
    var text = $('confirm-text');
    text.textContent = '';
    text.appendChild(textObject(confirm.text));
    $('confirm-ok').textContent = plainOf(confirm.confirm) || 'Yes';
    $('confirm-deny').textContent = plainOf(confirm.deny) || 'Cancel';
    $('confirm-ok').onclick = function () { dialog.close(); proceed(); };
    $('confirm-deny').onclick = function () { dialog.close(); };
    dialog.showModal();
  }

  /** As in Slack, a run of replies from one author shows the name and avatar once. */
  function renderMessage(message, channelId, inThread, continued) {
    var item = el('article', continued ? 'message continued' : 'message');
    item.dataset.ts = message.ts;
    item.appendChild(el('div', 'avatar', continued ? '' : 'OB'));
    var main = item.appendChild(el('div', 'message-main'));
    if (!continued) {
      var head = main.appendChild(el('div', 'message-head', nameOf(state.botUserId)));
      head.appendChild(el('span', 'app-tag', 'APP'));
      if (message.edited) head.appendChild(el('span', 'edited', '(edited)'));
    }
    var body = main.appendChild(el('div', 'message-body'));
    if (Array.isArray(message.blocks) && message.blocks.length > 0) renderBlocks(body, message.blocks, message, channelId);
    else appendMrkdwn(body.appendChild(el('div', 'mrkdwn')), message.text);
    if (!inThread && message.replies.length > 0) {
      var thread = main.appendChild(el('section', 'thread'));
      thread.setAttribute('aria-label', 'Thread');
      thread.appendChild(el('div', 'thread-label', message.replies.length + (message.replies.length === 1 ? ' reply' : ' replies')));
      message.replies.forEach(function (reply, index) { thread.appendChild(renderMessage(reply, channelId, true, index > 0)); });
    }
    return item;
  }

  function renderChannel(container, channel, emptyText) {
    container.textContent = '';
    if (channel.messages.length === 0) container.appendChild(el('p', 'empty', emptyText));
    channel.messages.forEach(function (message) { container.appendChild(renderMessage(message, channel.id, false)); });
  }

  function renderPeople() {
    var list = $('people');
    list.textContent = '';
    state.people.forEach(function (person) {
      var node = el('button', 'person', person.name);
      node.type = 'button';
      node.setAttribute('aria-pressed', String(person.id === you));
      node.appendChild(el('span', 'role', person.role === 'approver' ? 'approver' : 'requester'));
      node.addEventListener('click', function () { choose(person.id); });
      list.appendChild(node);
    });
    var me = state.people.filter(function (p) { return p.id === you; })[0];
    $('composer-who').textContent = me ? 'Typing as ' + me.name + ' (' + me.role + ')' : '';
  }

  function renderExamples() {
    var list = $('examples');
    list.textContent = '';
    state.examples.forEach(function (example) {
      var node = el('button', 'example', example.name);
      node.type = 'button';
      node.appendChild(el('span', 'email', example.email));
      node.addEventListener('click', function () {
        var input = $('command');
        input.value = '/offboard ' + example.email + ' Last day Friday';
        input.focus();
      });
      list.appendChild(el('li')).appendChild(node);
    });
    $('examples-section').hidden = state.examples.length === 0;
  }

  function renderOnlyYou() {
    var box = $('only-you');
    box.textContent = '';
    state.onlyYou.forEach(function (note) {
      var node = box.appendChild(el('div', 'note'));
      if (note.kind === 'command') {
        node.appendChild(el('div', 'note-label', 'You typed'));
        node.appendChild(el('div', 'note-command', note.text));
      } else {
        node.appendChild(el('div', 'note-label', 'Only visible to you'));
        if (Array.isArray(note.blocks) && note.blocks.length > 0) renderBlocks(node, note.blocks, null, '');
        else appendMrkdwn(node.appendChild(el('div', 'mrkdwn')), note.text);
      }
    });
  }

  function render() {
    var requests = state.channels[0];
    var notices = state.channels[1];
    $('channel-title').textContent = '#' + requests.name;
    $('notice-title').textContent = '#' + notices.name;
    $('command').setAttribute('aria-label', 'Message #' + requests.name);
    renderPeople();
    renderExamples();
    renderChannel($('timeline'), requests, 'No messages yet. Type an /offboard command below.');
    renderOnlyYou();
    renderChannel($('notices'), notices, 'Outcomes of finished requests appear here.');
  }

  function refresh() {
    if (fetching) return Promise.resolve();
    fetching = true;
    return fetch(API + '/state?userId=' + encodeURIComponent(you), { cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (next) {
        if (next.error && you !== '') {
          // Someone this page remembered is not in the cast any more: start over as the default.
          choose('');
          return;
        }
        if (next.error) throw new Error(next.error);
        you = next.you;
        var json = JSON.stringify(next);
        if (json === shownJson) return;
        var atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
        state = next;
        shownJson = json;
        render();
        if (atBottom) window.scrollTo(0, document.body.scrollHeight);
      })
      .catch(function (error) { $('composer-error').textContent = 'Cannot reach the bot: ' + error.message; })
      .finally(function () { fetching = false; });
  }

  function post(path, body) {
    $('composer-error').textContent = '';
    return fetch(API + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || ('HTTP ' + response.status));
          return answer;
        });
      })
      .catch(function (error) { $('composer-error').textContent = error.message; throw error; })
      .finally(function () { shownJson = ''; refresh(); });
  }

  function choose(userId) {
    you = userId;
    sessionStorage.setItem('playground-you', userId);
    shownJson = '';
    refresh();
  }

  $('composer').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = $('command');
    var text = input.value.trim();
    if (text === '' || text === '/offboard') return;
    post('/command', { userId: you, text: text }).then(function () { input.value = '/offboard '; }, function () {});
  });

  refresh();
  setInterval(refresh, 1000);
})();
`;
