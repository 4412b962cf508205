import type { TurnContext } from 'botbuilder';
import { plainText } from '../activities.js';
import { USAGE } from '../messages.js';

export async function handleHelp(context: TurnContext, empty: boolean): Promise<void> {
  await context.sendActivity(plainText(empty ? `Tell me whom to offboard.\n${USAGE}` : USAGE));
}
