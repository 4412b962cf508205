import type { OffboardingRequest } from './request.table.js';
import { STEPS, type StepName } from './steps.js';

/** One step row, as far as the card needs it. */
export interface StepRecord {
  step: StepName;
  status: 'pending' | 'running' | 'succeeded' | 'failed';
  /** What the step stored when it succeeded (the GDPR steps: the GDPR request's id and status). */
  result: unknown;
  updated_at: Date;
}

/** What the run has done so far, as the card tells it; read from the stored steps. */
export interface RunProgress {
  /** While the request runs: the step under way and its place in the run ("2 of 4"). */
  current: { step: StepName; label: string; position: number; total: number } | undefined;
  /** Genesys's state for the user as the run left it; undefined while the run changed nothing. */
  genesysState: string | undefined;
  /** The GDPR request, once filed, and its last known status. */
  gdpr: { requestId: string; status: string | undefined } | undefined;
  /**
   * When what the card shows last changed (the request or one of its steps): a redraw made from
   * an older state must not replace a newer one.
   */
  version: number;
}

export function runProgress(
  request: OffboardingRequest,
  steps: readonly StepRecord[],
): RunProgress {
  const byName = new Map(steps.map((step) => [step.step, step]));
  const nextIndex = steps.findIndex((step) => step.status !== 'succeeded');
  const next = steps[nextIndex];
  const current =
    request.state === 'running' && next
      ? {
          step: next.step,
          label: STEPS[next.step].runningLabel,
          position: nextIndex + 1,
          total: steps.length,
        }
      : undefined;
  return {
    current,
    genesysState: genesysState(request, byName.get('soft_delete')),
    gdpr: gdprFacts(request, byName.get('file_gdpr'), byName.get('poll_gdpr')),
    version: Math.max(
      request.updated_at.getTime(),
      ...steps.map((step) => step.updated_at.getTime()),
    ),
  };
}

function genesysState(
  request: OffboardingRequest,
  softDelete: StepRecord | undefined,
): string | undefined {
  // Undo restored the user: whatever the soft delete did is undone.
  if (request.state === 'restored') return 'active';
  return softDelete?.status === 'succeeded' ? 'deleted' : undefined;
}

function gdprFacts(
  request: OffboardingRequest,
  filed: StepRecord | undefined,
  followed: StepRecord | undefined,
): RunProgress['gdpr'] {
  const atFiling = gdprResult(filed);
  const atEnd = gdprResult(followed);
  const requestId = atEnd?.requestId ?? atFiling?.requestId ?? request.gdpr_request_id;
  if (!requestId) return undefined;
  // While it is followed, each new status is stored on the request; the last step's result is final.
  const status = atEnd?.status ?? request.gdpr_status ?? atFiling?.status;
  return { requestId, status };
}

function gdprResult(
  step: StepRecord | undefined,
): { requestId: string; status: string | undefined } | undefined {
  if (step?.status !== 'succeeded' || typeof step.result !== 'object' || step.result === null) {
    return undefined;
  }
  const { gdprRequestId, status } = step.result as { gdprRequestId?: unknown; status?: unknown };
  if (typeof gdprRequestId !== 'string') return undefined;
  return { requestId: gdprRequestId, status: typeof status === 'string' ? status : undefined };
}
