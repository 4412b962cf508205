import type { TurnContext } from 'botbuilder';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import { statusLine } from '../messages.js';
import type { TeamsHandlerDeps } from './deps.js';

export async function handleStatus(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  requestId: number | undefined,
): Promise<void> {
  await context.sendActivity(plainText(await statusText(context, deps, requestId)));
}

async function statusText(
  context: TurnContext,
  deps: TeamsHandlerDeps,
  requestId: number | undefined,
): Promise<string> {
  if (requestId !== undefined) {
    const request = await deps.service.findRequest(requestId);
    return request ? statusLine(request) : `There is no request #${requestId}.`;
  }
  const { actor } = await describeTeamsUser(context, deps.logger);
  const recent = await deps.service.recentRequests(actor);
  if (recent.length === 0) return 'You have not requested any offboarding yet.';
  return `Your recent requests:\n${recent.map(statusLine).join('\n')}`;
}

export async function handleInvalidStatus(context: TurnContext, input: string): Promise<void> {
  await context.sendActivity(plainText(`“${input}” is not a request number. Use: status 12`));
}
