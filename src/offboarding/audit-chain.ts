import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/database.js';
import { listAuditChain } from './audit.repository.js';

/**
 * The audit log is a hash chain: link n holds sha256(hash of link n-1 ‖ canonical event n),
 * the first link hashing the event alone. The database writes each link as its event commits
 * (migration 0010); this module checks the chain from the start.
 */
export function chainLinkHash(previousHash: string, canonicalEvent: string): string {
  return createHash('sha256')
    .update(previousHash + canonicalEvent, 'utf8')
    .digest('hex');
}

export interface BrokenLink {
  /** Position in the chain (1 = first event); undefined for an event that has no link. */
  seq: number | undefined;
  eventId: string | undefined;
  problem: string;
}

export type ChainVerdict =
  | { intact: true; links: number; head: string | undefined }
  | { intact: false; linksVerified: number; broken: BrokenLink };

export async function verifyAuditChain(db: DbOrTx): Promise<ChainVerdict> {
  let previous = '';
  let verified = 0;
  for (const row of await listAuditChain(db)) {
    const broken = (problem: string): ChainVerdict => ({
      intact: false,
      linksVerified: verified,
      broken: {
        seq: row.seq === null ? undefined : Number(row.seq),
        eventId: row.eventId ?? row.linkedEventId ?? undefined,
        problem,
      },
    });
    if (row.seq === null) {
      return broken(
        'the event has no link in the chain: it was written with the chain trigger switched off',
      );
    }
    if (Number(row.seq) !== verified + 1) {
      return broken(`link ${verified + 1} is missing: the chain jumps to link ${row.seq}`);
    }
    if (row.canonical === null) {
      return broken(`the event this link seals (#${row.linkedEventId}) is gone`);
    }
    if (chainLinkHash(previous, row.canonical) !== row.hash) {
      return broken(
        'the event or its hash was changed after it was written: its hash does not match the event and the link before it',
      );
    }
    previous = row.hash;
    verified++;
  }
  return { intact: true, links: verified, head: verified > 0 ? previous : undefined };
}
