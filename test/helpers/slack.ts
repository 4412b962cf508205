// Signed Slack request bodies are product code now (the playground sends them); tests keep this path.
export * from '../../src/playground/slack-requests.js';
