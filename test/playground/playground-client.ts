import type { PlaygroundState } from '../../src/playground/visible-state.js';

export const MARIA = 'U0PLAYMARIA';
export const ADAM = 'U0PLAYADAM';
export const ANN = 'U0PLAYANN';

/** The page's own calls to the playground API, for tests that need no browser. */
export function playgroundClient(baseUrl: string) {
  const post = async (path: string, body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${baseUrl}/playground/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return {
    command: (userId: string, text: string) => post('command', { userId, text }),
    click: (
      userId: string,
      click: { channel: string; messageTs: string; actionId: string; value: string },
    ) => post('click', { userId, ...click }),
    post,
    async state(userId: string): Promise<PlaygroundState> {
      const response = await fetch(`${baseUrl}/playground/api/state?userId=${userId}`);
      if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
      return (await response.json()) as PlaygroundState;
    },
  };
}
