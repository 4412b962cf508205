import type { Logger } from 'pino';
import type { BatchService } from '../../offboarding/batch.service.js';
import type { CardRedraws } from '../../offboarding/card-refresh.js';
import type { Deployment } from '../../offboarding/deployment.js';
import type { OffboardingService } from '../../offboarding/offboarding.service.js';
import type { TeamsAccessPolicy } from '../access-policy.js';
import type { BackgroundTasks } from '../background.js';
import type { NotifyConversations } from '../notify-conversations.js';
import type { TeamsSender } from '../sender.js';
import type { QueuedTeamsCommand } from './offboard.js';

export interface TeamsHandlerDeps {
  service: OffboardingService;
  /** Bulk offboarding: the form with several emails, the batch card's buttons. */
  batches: BatchService;
  policy: TeamsAccessPolicy;
  approvers: readonly string[];
  sender: TeamsSender;
  notifyConversations: NotifyConversations;
  background: BackgroundTasks;
  /** Keeps a click's card update and the thread's in order (shared with the notifier). */
  cardRedraws: CardRedraws;
  /** Where `offboard` commands wait, after their turn, to be handled. */
  commands: { enqueue(command: QueuedTeamsCommand): Promise<void> };
  logger: Logger;
  /** The Genesys org (and sandbox) every card and reply is marked with. */
  deployment: Deployment;
}
