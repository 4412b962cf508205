import { AsyncLocalStorage } from 'node:async_hooks';

/** One answer from Genesys (or its absence), as the evidence of an offboarding lists it. */
export interface JournalledCall {
  operation: string;
  method: string;
  /** Undefined when no HTTP answer came (timeout, reset). */
  status: number | undefined;
  correlationId: string | undefined;
  at: Date;
}

const journals = new AsyncLocalStorage<JournalledCall[]>();

/**
 * Runs `work` and appends every Genesys call it makes (each try, resends included) to
 * `journal`, whatever the client view or priority: a workflow step records what it did to the
 * person. Calls made outside any journal are not kept.
 */
export function journalGenesysCalls<T>(
  journal: JournalledCall[],
  work: () => Promise<T>,
): Promise<T> {
  return journals.run(journal, work);
}

/** Called by the client for every answer; a no-op outside `journalGenesysCalls`. */
export function noteGenesysCall(call: Omit<JournalledCall, 'at'>): void {
  journals.getStore()?.push({ ...call, at: new Date() });
}
