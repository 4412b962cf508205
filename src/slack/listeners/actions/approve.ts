import type { SlackListenerDeps } from '../deps.js';
import { decisionHandler } from './decide.js';

export const approveAction = (deps: SlackListenerDeps) => decisionHandler(deps, 'approved');
