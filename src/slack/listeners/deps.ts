import type { Logger } from 'pino';
import type { BatchService } from '../../offboarding/batch.service.js';
import type { Deployment } from '../../offboarding/deployment.js';
import type { OffboardingService } from '../../offboarding/offboarding.service.js';
import type { SlackCards } from '../cards.js';
import type { QueuedSlashCommand } from '../commands/handle-offboard-command.js';
import type { SlackHomes } from '../home.js';

export interface SlackListenerDeps {
  service: OffboardingService;
  /** Bulk offboarding: the "Several people" modal and the batch card's buttons. */
  batches: BatchService;
  /** Where acknowledged commands wait to be handled. */
  commands: { enqueue(command: QueuedSlashCommand): Promise<void> };
  approvers: readonly string[];
  logger: Logger;
  /** The Genesys org (and sandbox) cards and replies are marked with. */
  deployment: Deployment;
  /** Redraws request cards in order, from stored state. */
  cards: SlackCards;
  /** Publishes and refreshes App Home tabs. */
  homes: SlackHomes;
}
