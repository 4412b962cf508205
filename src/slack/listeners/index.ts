import type { App } from '@slack/bolt';
import { BATCH_APPROVE_ACTION, BATCH_REJECT_ACTION, BATCH_RETRY_ACTION } from '../batch-blocks.js';
import {
  APPROVE_ACTION,
  CANCEL_ACTION,
  EVIDENCE_ACTION,
  REJECT_ACTION,
  UNDO_ACTION,
} from '../blocks.js';
import { HOME_APPROVE_ACTION, HOME_REJECT_ACTION } from '../home.js';
import { REJECT_MODAL_CALLBACK } from '../reject-modal.js';
import {
  MODAL_MODE_ACTION,
  OFFBOARD_SHORTCUT_CALLBACK,
  PERSON_PICKER_ACTION,
  REQUEST_MODAL_CALLBACK,
} from '../request-modal.js';
import { approveAction } from './actions/approve.js';
import { batchActionHandler } from './actions/batch-decide.js';
import { cancelAction } from './actions/cancel.js';
import { evidenceAction } from './actions/evidence.js';
import { homeDecisionHandler } from './actions/home-decision.js';
import { modalModeAction } from './actions/modal-mode.js';
import { rejectAction } from './actions/reject.js';
import { undoAction } from './actions/undo.js';
import { offboardCommand } from './commands/offboard.js';
import type { SlackListenerDeps } from './deps.js';
import { appHomeOpened } from './events/app-home-opened.js';
import { personPickerOptions } from './options/person-picker.js';
import { offboardSomeoneShortcut } from './shortcuts/offboard-someone.js';
import { rejectModalSubmission } from './views/reject-submission.js';
import { requestModalSubmission } from './views/request-submission.js';

export function registerListeners(app: App, deps: SlackListenerDeps): void {
  app.command('/offboard', offboardCommand(deps));
  app.action(APPROVE_ACTION, approveAction(deps));
  app.action(REJECT_ACTION, rejectAction(deps));
  app.action(UNDO_ACTION, undoAction(deps));
  app.action(CANCEL_ACTION, cancelAction(deps));
  app.action(EVIDENCE_ACTION, evidenceAction(deps));
  app.action(HOME_APPROVE_ACTION, homeDecisionHandler(deps, 'approved'));
  app.action(HOME_REJECT_ACTION, homeDecisionHandler(deps, 'rejected'));
  app.action(BATCH_APPROVE_ACTION, batchActionHandler(deps, 'approved'));
  app.action(BATCH_REJECT_ACTION, batchActionHandler(deps, 'rejected'));
  app.action(BATCH_RETRY_ACTION, batchActionHandler(deps, 'retry'));
  app.action(MODAL_MODE_ACTION, modalModeAction(deps));
  app.shortcut(OFFBOARD_SHORTCUT_CALLBACK, offboardSomeoneShortcut(deps));
  app.options(PERSON_PICKER_ACTION, personPickerOptions(deps));
  app.view(REQUEST_MODAL_CALLBACK, requestModalSubmission(deps));
  app.view(REJECT_MODAL_CALLBACK, rejectModalSubmission(deps));
  app.event('app_home_opened', appHomeOpened(deps));
}
