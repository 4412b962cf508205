import type { EmulatorState } from '../emulator-state.js';
import type { Route, RouteContext, RouteResult } from '../router.js';

// The login service answers in OAuth's error shape, not the platform ErrorBody.

function oauthError(status: number, error: string, description: string): RouteResult {
  return { status, body: { error, description, error_description: description } };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function formField(context: RouteContext, name: string): string | undefined {
  return context.body.kind === 'form' ? context.body.value[name] : undefined;
}

export function oauthRoutes(state: EmulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/oauth\/token$/,
      handle(context) {
        const credentials = basicCredentials(context.headers.authorization);
        const client = credentials
          ? state.tokens.authenticateClient(credentials.id, credentials.secret)
          : undefined;
        if (!client) return oauthError(401, 'invalid_client', 'client not found');
        const grantType = formField(context, 'grant_type');
        if (grantType === undefined) {
          return oauthError(400, 'invalid_request', 'grant_type is required');
        }
        if (grantType !== 'client_credentials') {
          return oauthError(
            400,
            'unsupported_grant_type',
            `grant type ${grantType} is not supported`,
          );
        }
        return {
          status: 200,
          body: {
            access_token: state.tokens.issue(client.clientId),
            token_type: 'bearer',
            expires_in: state.tokens.ttlSeconds,
          },
        };
      },
    },
  ];
}
