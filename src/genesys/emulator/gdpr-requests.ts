import { randomUUID } from 'node:crypto';
import type { GdprCreateRequest } from './gdpr-validation.js';
import type {
  EmulatedGdprRequestType,
  EmulatedGdprStatus,
  GdprListOrder,
  SeedGdprRequest,
  StoredGdprRequest,
  StoredUser,
} from './types.js';
import type { UserDirectory } from './user-directory.js';

// GDPR requests are asynchronous in Genesys (days, in practice). The emulator walks each request
// through the same stages, driven by polls and/or elapsed time, so a bot's polling loop, its
// restart recovery and its handling of ERROR can all be exercised in milliseconds.

const STAGES: Record<EmulatedGdprRequestType, readonly EmulatedGdprStatus[]> = {
  GDPR_DELETE: ['INITIATED', 'SEARCHING', 'DELETING', 'FINALIZING', 'COMPLETED'],
  GDPR_UPDATE: ['INITIATED', 'SEARCHING', 'UPDATING', 'FINALIZING', 'COMPLETED'],
  GDPR_EXPORT: ['INITIATED', 'SEARCHING', 'FINALIZING', 'COMPLETED'],
};

const isFinal = (status: EmulatedGdprStatus): boolean =>
  status === 'COMPLETED' || status === 'ERROR';

export interface GdprProgression {
  pollsPerStage: number;
  msPerStage: number;
}

export function gdprProgression(options?: {
  pollsPerStage?: number;
  msPerStage?: number;
}): GdprProgression {
  if (!options) return { pollsPerStage: 1, msPerStage: Number.POSITIVE_INFINITY };
  const onlyTime = options.pollsPerStage === undefined && options.msPerStage !== undefined;
  return {
    pollsPerStage: onlyTime ? Number.POSITIVE_INFINITY : Math.max(1, options.pollsPerStage ?? 1),
    msPerStage: options.msPerStage ?? Number.POSITIVE_INFINITY,
  };
}

/** One GDPR request with where it stands in its stages, as kept across emulator restarts. */
export interface TrackedGdprRequest {
  record: StoredGdprRequest;
  seq: number;
  stage: number;
  pollsInStage: number;
  stageEnteredAt: number;
  failOnNextAdvance: boolean;
  endsInError: boolean;
}

/** Everything the store remembers, in plain JSON: what a restarted emulator continues from. */
export interface GdprStoreState {
  requests: TrackedGdprRequest[];
  nextSeq: number;
  doomed: number;
}

export class GdprRequestStore {
  readonly #requests = new Map<string, TrackedGdprRequest>();
  readonly #directory: UserDirectory;
  readonly #progression: GdprProgression;
  #seq = 0;
  #doomed = 0;
  #listOrder: GdprListOrder = 'newest-first';

  constructor(directory: UserDirectory, progression: GdprProgression) {
    this.#directory = directory;
    this.#progression = progression;
  }

  create(request: GdprCreateRequest, createdBy: string, now = Date.now()): StoredGdprRequest {
    const id = randomUUID();
    const createdDate = new Date(now).toISOString();
    const record: StoredGdprRequest = {
      id,
      requestType: request.requestType,
      status: 'INITIATED',
      createdDate,
      createdBy: { id: createdBy, selfUri: `/api/v2/oauth/clients/${createdBy}` },
      subject: structuredClone(request.subject),
      deleteConfirmed: request.deleteConfirmed,
      polls: 0,
      statusHistory: [{ status: 'INITIATED', at: createdDate }],
    };
    if (request.name !== undefined) record.name = request.name;
    if (request.replacementTerms !== undefined) {
      record.replacementTerms = structuredClone(request.replacementTerms);
    }
    const endsInError = this.#doomed > 0;
    if (endsInError) this.#doomed -= 1;
    this.#requests.set(id, {
      record,
      seq: this.#seq++,
      stage: 0,
      pollsInStage: 0,
      stageEnteredAt: now,
      failOnNextAdvance: false,
      endsInError,
    });
    return record;
  }

  /** A GET of one request: counts as a poll, which may advance it. */
  poll(id: string, now = Date.now()): StoredGdprRequest | undefined {
    const tracked = this.#requests.get(id);
    if (!tracked) return undefined;
    this.#catchUp(tracked, now);
    tracked.record.polls += 1;
    if (!isFinal(tracked.record.status)) {
      tracked.pollsInStage += 1;
      if (tracked.pollsInStage >= this.#progression.pollsPerStage) this.#advance(tracked, now);
    }
    return tracked.record;
  }

  setListOrder(order: GdprListOrder): void {
    if (!['newest-first', 'oldest-first', 'shuffled'].includes(order)) {
      throw new Error(`Unknown GDPR list order ${String(order)}`);
    }
    this.#listOrder = order;
  }

  /** What GET /api/v2/gdpr/requests lists, in the configured order. */
  listing(now = Date.now()): StoredGdprRequest[] {
    const newestFirst = this.list(now);
    if (this.#listOrder === 'oldest-first') return newestFirst.reverse();
    if (this.#listOrder === 'shuffled') {
      // Random ids give an order unrelated to time, yet the same for every page of one scan.
      return newestFirst.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return newestFirst;
  }

  /** Requests filed before the test began, already finished. */
  seed(requests: SeedGdprRequest[], createdBy: string): StoredGdprRequest[] {
    return requests.map((seed) => {
      const at = Date.parse(seed.createdDate);
      if (Number.isNaN(at)) throw new Error(`Invalid createdDate ${seed.createdDate}`);
      const record = this.create(
        {
          requestType: seed.requestType,
          subject: seed.subject,
          deleteConfirmed: seed.requestType === 'GDPR_DELETE',
        },
        createdBy,
        at,
      );
      record.status = seed.status ?? 'COMPLETED';
      record.statusHistory.push({ status: record.status, at: seed.createdDate });
      return record;
    });
  }

  /** Newest first; reading lets elapsed time move requests on but is not a poll. */
  list(now = Date.now()): StoredGdprRequest[] {
    const tracked = [...this.#requests.values()].sort((a, b) => b.seq - a.seq);
    for (const request of tracked) this.#catchUp(request, now);
    return tracked.map((request) => request.record);
  }

  snapshot(now = Date.now()): StoredGdprRequest[] {
    return this.list(now).map((record) => structuredClone(record));
  }

  /**
   * Stage timestamps are kept as they were, so a request restored after a pause has moved on by
   * the time that passed, exactly as if the emulator had run throughout.
   */
  persisted(): GdprStoreState {
    return {
      requests: [...this.#requests.values()].map((tracked) => structuredClone(tracked)),
      nextSeq: this.#seq,
      doomed: this.#doomed,
    };
  }

  restore(state: GdprStoreState): void {
    this.#requests.clear();
    for (const tracked of state.requests) {
      this.#requests.set(tracked.record.id, structuredClone(tracked));
    }
    this.#seq = state.nextSeq;
    this.#doomed = state.doomed;
  }

  /** The live record without counting a poll. */
  find(id: string): StoredGdprRequest | undefined {
    return this.#requests.get(id)?.record;
  }

  failRequest(id: string): void {
    const tracked = this.#requests.get(id);
    if (!tracked) throw new Error(`No GDPR request ${id} in the emulator`);
    if (isFinal(tracked.record.status)) {
      throw new Error(`GDPR request ${id} is already ${tracked.record.status}`);
    }
    tracked.failOnNextAdvance = true;
  }

  failNext(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new Error(`Invalid count ${count}`);
    this.#doomed = count;
  }

  #catchUp(tracked: TrackedGdprRequest, now: number): void {
    const { msPerStage } = this.#progression;
    if (!Number.isFinite(msPerStage)) return;
    while (!isFinal(tracked.record.status) && now - tracked.stageEnteredAt >= msPerStage) {
      this.#advance(tracked, tracked.stageEnteredAt + msPerStage);
    }
  }

  #advance(tracked: TrackedGdprRequest, at: number): void {
    const stages = STAGES[tracked.record.requestType];
    let next = stages[Math.min(tracked.stage + 1, stages.length - 1)] ?? 'COMPLETED';
    if (tracked.failOnNextAdvance || (next === 'COMPLETED' && tracked.endsInError)) next = 'ERROR';
    tracked.stage += 1;
    tracked.pollsInStage = 0;
    tracked.stageEnteredAt = at;
    tracked.record.status = next;
    tracked.record.statusHistory.push({ status: next, at: new Date(at).toISOString() });
    if (next === 'COMPLETED') this.#complete(tracked.record);
  }

  #complete(record: StoredGdprRequest): void {
    const user = record.subject.userId ? this.#directory.get(record.subject.userId) : undefined;
    switch (record.requestType) {
      case 'GDPR_DELETE':
        if (user && !user.erased) this.#directory.erase(user);
        break;
      case 'GDPR_UPDATE':
        if (user) this.#applyReplacementTerms(user, record);
        break;
      case 'GDPR_EXPORT':
        record.resultsUrl = `https://gdpr-exports.emulator.invalid/${record.id}.zip`;
        break;
    }
  }

  #applyReplacementTerms(user: StoredUser, record: StoredGdprRequest): void {
    let changed = false;
    for (const term of record.replacementTerms ?? []) {
      const existing = term.existingValue.trim().toLowerCase();
      if (term.type === 'NAME' && user.name.trim().toLowerCase() === existing) {
        user.name = term.updatedValue;
        changed = true;
      }
      if (term.type === 'EMAIL' && user.email.trim().toLowerCase() === existing) {
        if (user.username === user.email) user.username = term.updatedValue;
        user.email = term.updatedValue;
        changed = true;
      }
    }
    if (changed) this.#directory.touch(user);
  }
}
