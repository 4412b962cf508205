import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { boltLogger } from './bolt-logger.js';
import { slackClientOptions } from './client-options.js';

export interface SlackClientSettings {
  logger: Logger;
  /** Tries of a Web API call after the first; tests set 0. */
  retries?: number;
}

/** What Bolt's own client and ours are built with, so both talk to Slack alike. */
export function slackWebClientOptions(
  config: NonNullable<Config['slack']>,
  settings: SlackClientSettings,
): WebClientOptions {
  return {
    slackApiUrl: config.apiUrl,
    logger: boltLogger(settings.logger),
    ...slackClientOptions(settings.retries === undefined ? {} : { retries: settings.retries }),
  };
}

/**
 * The bot token's Web API client, built from config before the service: the access policy
 * reads user groups through it, the adapter posts and learns its workspace through it.
 */
export function createSlackWebClient(
  config: NonNullable<Config['slack']>,
  settings: SlackClientSettings,
): WebClient {
  return new WebClient(config.botToken, slackWebClientOptions(config, settings));
}
