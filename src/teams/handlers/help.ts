import type { TurnContext } from 'botbuilder';
import type { Deployment } from '../../offboarding/deployment.js';
import { usageText } from '../../offboarding/wording/help.js';
import { plainText } from '../activities.js';
import { TEAMS_STYLE, TEAMS_USAGE } from '../messages.js';

export async function handleHelp(
  context: TurnContext,
  empty: boolean,
  deployment: Deployment,
): Promise<void> {
  await context.sendActivity(plainText(usageText(TEAMS_STYLE, TEAMS_USAGE, deployment, empty)));
}
