import type { Logger } from 'pino';
import type { OffboardingService } from '../../offboarding/offboarding.service.js';

export interface SlackListenerDeps {
  service: OffboardingService;
  approvers: readonly string[];
  logger: Logger;
}
