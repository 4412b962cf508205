import type { TurnContext } from 'botbuilder';
import {
  invalidStatusNumber,
  recentRequestsText,
  requestNotShown,
  statusLine,
} from '../../offboarding/wording/status.js';
import { plainText } from '../activities.js';
import { describeTeamsUser } from '../identity.js';
import { TEAMS_STYLE } from '../messages.js';
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
    if (typeof request === 'string') return requestNotShown(requestId, request);
    return statusLine(request, TEAMS_STYLE);
  }
  return recentRequestsText(await deps.service.recentRequests(actor), TEAMS_STYLE);
}

export async function handleInvalidStatus(context: TurnContext, input: string): Promise<void> {
  await context.sendActivity(plainText(invalidStatusNumber(input, TEAMS_STYLE)));
}
