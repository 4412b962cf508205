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
  const { actor } = await describeTeamsUser(context, deps.logger);
  if (requestId !== undefined) {
    const request = await deps.service.findRequestFor(actor, requestId);
    if (request === 'not_found') return `There is no request #${requestId}.`;
    if (request === 'not_allowed') {
      return `Request #${requestId} is visible only to the person who filed it and the approvers.`;
    }
    return statusLine(request);
  }
  const recent = await deps.service.recentRequests(actor);
  if (recent.length === 0) return 'You have not requested any offboarding yet.';
  return `Your recent requests:\n${recent.map(statusLine).join('\n')}`;
}

export async function handleInvalidStatus(context: TurnContext, input: string): Promise<void> {
  await context.sendActivity(plainText(`“${input}” is not a request number. Use: status 12`));
}
