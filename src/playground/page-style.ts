/** The playground page's CSS: Slack-like enough that a card reads as it would in Slack. */
export const PAGE_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
:root {
  --aubergine: #3f0e40; --aubergine-light: #522653; --text: #1d1c1d; --muted: #616061;
  --line: #dddddd; --green: #007a5a; --red: #e01e5a; --link: #1264a3; --mention-bg: #e8f5fa;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif, "Noto Color Emoji";
  color: var(--text); font-size: 15px; line-height: 1.45;
}
body { margin: 0; background: #fff; }
.top { background: var(--aubergine); color: #fff; padding: 10px 20px; display: flex; gap: 12px;
  align-items: baseline; flex-wrap: wrap; }
.top strong { font-size: 17px; }
.badge { background: #ecb22e; color: var(--text); border-radius: 4px; padding: 1px 8px; font-size: 12px;
  font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.top .sub { opacity: .85; font-size: 13px; }
.layout { display: grid; grid-template-columns: 240px minmax(0, 1fr) 300px; min-height: calc(100vh - 44px);
  /* The sidebar's colour down the whole column, below the sidebar that sticks to the top. */
  background: linear-gradient(to right, var(--aubergine-light) 240px, transparent 240px); }
.top .top-reset { margin-left: auto; }
.sidebar { background: var(--aubergine-light); color: #fff; padding: 16px 12px; }
/* Who you are stays at hand however far the channel is scrolled. */
.layout > .sidebar { position: sticky; top: 0; align-self: start; height: calc(100vh - 44px);
  overflow-y: auto; }
.sidebar h2, .notices h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; margin: 8px 4px;
  opacity: .8; font-weight: 700; }
.person { display: block; width: 100%; text-align: left; background: transparent; color: #fff;
  border: 0; border-radius: 6px; padding: 6px 8px; margin: 2px 0; cursor: pointer; font: inherit; }
.person:hover { background: rgba(255,255,255,.1); }
.person[aria-pressed="true"] { background: #1164a3; }
.person .role { display: block; font-size: 12px; opacity: .8; }
.examples { list-style: none; margin: 0; padding: 0; }
.example-later { font-size: 11px; margin: 0 0 6px 8px; cursor: pointer; }
.example { display: block; width: 100%; text-align: left; background: transparent; color: #fff; border: 0;
  border-radius: 6px; padding: 4px 8px; cursor: pointer; font: inherit; font-size: 13px; }
.example:hover { background: rgba(255,255,255,.1); }
.example .email { display: block; opacity: .75; font-size: 12px; }
.example .handle { opacity: .75; font-size: 12px; }
.example .offboarded { background: #e01e5a; color: #fff; border-radius: 3px; font-size: 10px; font-weight: 700;
  text-transform: uppercase; letter-spacing: .04em; padding: 0 4px; margin-left: 6px; vertical-align: middle; }
.hint { font-size: 12px; opacity: .8; margin: 0 4px 6px; }
.channel { padding: 0 20px; display: flex; flex-direction: column; min-width: 0; }
.channel-name { font-size: 18px; margin: 0 -20px; padding: 12px 20px; border-bottom: 1px solid var(--line); }
.empty { color: var(--muted); font-style: italic; margin: 16px 0; }
.message { display: grid; grid-template-columns: 36px minmax(0, 1fr); gap: 8px; padding: 10px 0; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #2eb67d; color: #fff; display: grid;
  place-items: center; font-weight: 700; font-size: 13px; }
.message-head { font-weight: 700; }
.app-tag { background: #e8e8e8; color: var(--muted); font-size: 10px; font-weight: 700; border-radius: 3px;
  padding: 1px 4px; margin-left: 6px; vertical-align: middle; }
.edited { color: var(--muted); font-size: 12px; font-weight: 400; margin-left: 6px; }
.mrkdwn, .plain { white-space: pre-wrap; overflow-wrap: anywhere; }
.block-header { font-size: 18px; font-weight: 800; margin: 4px 0 8px; }
.block-section { margin: 6px 0; }
.fields { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 4px 16px; margin: 6px 0; }
.block-context { color: var(--muted); font-size: 12px; margin: 6px 0; display: flex; gap: 8px; flex-wrap: wrap; }
.block-actions { display: flex; gap: 8px; margin: 10px 0 4px; flex-wrap: wrap; }
.block-divider { border: 0; border-top: 1px solid var(--line); }
.unsupported { color: var(--muted); font-style: italic; }
.btn { border: 1px solid #bbbbbb; background: #fff; color: var(--text); border-radius: 4px; padding: 4px 14px;
  font: inherit; font-weight: 700; font-size: 14px; cursor: pointer; }
.btn:hover { background: #f8f8f8; }
.btn-primary { background: var(--green); border-color: var(--green); color: #fff; }
.btn-primary:hover { background: #148567; }
.btn-danger { background: #fff; border-color: var(--red); color: var(--red); }
.btn:disabled { opacity: .5; cursor: progress; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; color: #c01343;
  background: #f6f6f6; border: 1px solid #e2e2e2; border-radius: 3px; padding: 1px 3px; }
.mention { background: var(--mention-bg); color: var(--link); border-radius: 3px; padding: 0 2px; }
a { color: var(--link); }
.thread { margin-top: 6px; border-left: 3px solid var(--line); padding-left: 12px; }
.thread-label { color: var(--link); font-size: 13px; font-weight: 700; }
.thread .message { grid-template-columns: 24px minmax(0, 1fr); padding: 6px 0; }
.thread .avatar { width: 24px; height: 24px; font-size: 10px; border-radius: 4px; }
.thread .message.continued { padding: 2px 0; }
.message.continued .avatar { visibility: hidden; height: 0; }
.time { color: var(--muted); font-size: 12px; font-weight: 400; margin-left: 8px; }
.note { background: #f8f8f8; border-radius: 6px; padding: 6px 10px; margin: 6px 0 6px 44px; }
.note-reply { border-left: 3px solid #1264a3; }
.note-label { color: var(--muted); font-size: 12px; }
.message, .note { scroll-margin-bottom: 190px; }
.jump-area { display: flex; justify-content: center; }
.jump { background: var(--link); color: #fff; border: 0; border-radius: 16px; padding: 4px 14px;
  font: inherit; font-size: 13px; font-weight: 700; cursor: pointer; margin-bottom: 6px;
  box-shadow: 0 2px 8px rgba(0,0,0,.25); }
.jump[hidden] { display: none; }
.note-command { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; }
.composer-area { position: sticky; bottom: 0; background: #fff; padding: 8px 0 12px; margin-top: auto; }
.composer { display: flex; gap: 8px; border: 1px solid #8d8d8d; border-radius: 8px; padding: 6px; }
.composer input { flex: 1; border: 0; font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace;
  outline: none; min-width: 0; }
.composer-error { color: var(--red); font-size: 13px; margin: 4px 0 0; min-height: 1em; }
.composer-who { color: var(--muted); font-size: 12px; margin: 0 0 4px; }
.notices { border-left: 1px solid var(--line); padding: 8px 16px; background: #fafafa; }
.notices .message { font-size: 14px; }
dialog { border: 0; border-radius: 8px; padding: 20px 24px; max-width: 440px; box-shadow: 0 8px 30px rgba(0,0,0,.3); }
dialog::backdrop { background: rgba(0,0,0,.45); }
dialog.wide { max-width: 620px; width: 90vw; }
.composer-extras { display: flex; gap: 8px; margin-top: 6px; }
.modal-field { display: flex; flex-direction: column; gap: 4px; margin: 10px 0; }
.modal-field label { font-weight: 600; }
.modal-field input, .modal-field textarea, .modal-field select { font: inherit; padding: 6px; }
.modal-hint { color: #616061; font-size: 12px; }
dialog h2 { margin: 0 0 8px; font-size: 20px; }
.dialog-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 16px; }
@media (max-width: 900px) {
  .layout { grid-template-columns: 1fr; }
  .layout { background: none; }
  .layout > .sidebar { position: static; height: auto; }
  .notices { border-left: 0; border-top: 1px solid var(--line); }
}
`;
