import type { SlackListenerDeps } from '../deps.js';
import { decisionHandler } from './decide.js';

export const rejectAction = (deps: SlackListenerDeps) => decisionHandler(deps, 'rejected');
