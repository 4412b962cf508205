import type { App } from '@slack/bolt';
import { APPROVE_ACTION, CANCEL_ACTION, REJECT_ACTION, UNDO_ACTION } from '../blocks.js';
import { approveAction } from './actions/approve.js';
import { cancelAction } from './actions/cancel.js';
import { rejectAction } from './actions/reject.js';
import { undoAction } from './actions/undo.js';
import { offboardCommand } from './commands/offboard.js';
import type { SlackListenerDeps } from './deps.js';

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  app.command('/offboard', offboardCommand(deps));
  app.action(APPROVE_ACTION, approveAction(deps));
  app.action(REJECT_ACTION, rejectAction(deps));
  app.action(UNDO_ACTION, undoAction(deps));
  app.action(CANCEL_ACTION, cancelAction(deps));
}
