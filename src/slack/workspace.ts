import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

/** The workspace (or, for an org-wide install, the Enterprise Grid org) the bot token belongs to. */
export interface SlackWorkspace {
  teamId: string | undefined;
  enterpriseId: string | undefined;
  /** Org-wide install: requests come from any workspace of the org, so the org is what counts. */
  enterpriseInstall: boolean;
}

/** Asks Slack whose token this is (auth.test); the bot serves that workspace and no other. */
export async function learnWorkspace(client: WebClient): Promise<SlackWorkspace> {
  let answer: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    answer = await client.auth.test();
  } catch (error) {
    throw new AppError(
      'SLACK_AUTH_TEST_FAILED',
      'Slack did not confirm the bot token (auth.test), so the workspace it belongs to is unknown',
      { cause: error },
    );
  }
  const workspace: SlackWorkspace = {
    teamId: answer.team_id || undefined,
    enterpriseId: answer.enterprise_id || undefined,
    enterpriseInstall: answer.is_enterprise_install === true,
  };
  if (workspace.enterpriseInstall ? !workspace.enterpriseId : !workspace.teamId) {
    throw new AppError(
      'SLACK_WORKSPACE_UNKNOWN',
      'Slack auth.test named no workspace (team_id) or org (enterprise_id) for the bot token',
    );
  }
  return workspace;
}

type Fields = Record<string, unknown>;

function record(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}

function strings(...values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string' && value !== '');
}

/**
 * Why a request is not from our workspace; undefined when it is. Every team or org id the
 * payload names must be ours: in a channel shared with another organisation (Slack Connect) the
 * clicker's own team differs from the channel's.
 */
export function foreignWorkspace(body: unknown, ours: SlackWorkspace): string | undefined {
  const fields = record(body) ?? {};
  const team = record(fields.team);
  const user = record(fields.user);
  const enterprise = record(fields.enterprise);
  if (ours.enterpriseInstall) {
    const orgs = strings(fields.enterprise_id, enterprise?.id, user?.enterprise_id);
    if (orgs.length === 0) return 'the request names no Enterprise Grid org';
    const other = orgs.find((id) => id !== ours.enterpriseId);
    return other ? `the request comes from org ${other}` : undefined;
  }
  const teams = strings(fields.team_id, team?.id, user?.team_id, fields.user_team);
  if (teams.length === 0) return 'the request names no workspace';
  const other = teams.find((id) => id !== ours.teamId);
  return other ? `the request comes from workspace ${other}` : undefined;
}

/**
 * Global Bolt middleware: a command or click from another workspace is answered (so Slack does
 * not retry it), logged with the reason, and goes no further.
 */
export function workspaceGate(ours: SlackWorkspace, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const reason = foreignWorkspace(args.body, ours);
    if (!reason) {
      await args.next();
      return;
    }
    const body = record(args.body) ?? {};
    logger.warn(
      {
        reason,
        slackUser: strings(body.user_id, record(body.user)?.id)[0],
        type: strings(body.type, body.command)[0],
      },
      'Slack request refused: not from this workspace',
    );
    const ack = (args as { ack?: (response?: string) => Promise<void> }).ack;
    if (ack) {
      await ack(
        typeof body.command === 'string'
          ? 'This offboarding bot serves only its own Slack workspace.'
          : undefined,
      );
    }
  };
}
