import { CHAT_COMMAND_QUEUE_OPTIONS, type QueueDeclaration } from '../workflow/queue.js';

/** Acknowledged `/offboard` commands, handled after their ack (Slack wants one within 3 s). */
export const SLACK_COMMAND_QUEUE: QueueDeclaration = {
  name: 'slack-command',
  options: CHAT_COMMAND_QUEUE_OPTIONS,
};
