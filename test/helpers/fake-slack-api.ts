// The fake Slack Web API is product code now (the playground ships it); tests keep this path.
export * from '../../src/playground/fake-slack-web-api.js';
