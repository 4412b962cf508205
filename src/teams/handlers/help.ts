import type { TurnContext } from 'botbuilder';
import { type Deployment, organizationLine } from '../../offboarding/deployment.js';
import { plainText } from '../activities.js';
import { USAGE } from '../messages.js';

export async function handleHelp(
  context: TurnContext,
  empty: boolean,
  deployment: Deployment,
): Promise<void> {
  const usage = `${USAGE}\n${organizationLine(deployment)}`;
  await context.sendActivity(plainText(empty ? `Tell me whom to offboard.\n${usage}` : usage));
}
