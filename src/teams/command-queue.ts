import { CHAT_COMMAND_QUEUE_OPTIONS, type QueueDeclaration } from '../workflow/queue.js';

/** Teams `offboard` commands, handled after their turn. No botbuilder here: db/prepare.ts reads it. */
export const TEAMS_COMMAND_QUEUE: QueueDeclaration = {
  name: 'teams-command',
  options: CHAT_COMMAND_QUEUE_OPTIONS,
};
