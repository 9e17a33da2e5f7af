import type { SealedRecord } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { EVIDENCE_READERS, holdsAny } from "../auth/policy";

/**
 * Who may read a record's evidence (its view and its certificate). Staff who
 * audit (the operator's services, auditors) read everything. A user reads the
 * records of the subjects they take part in, so that a party can prove its own
 * records without asking anyone:
 *
 * - `user:<id>`: their own account;
 * - `listing:<id>`: listings they own;
 * - `match:<id>`: matches they are a side of, or the broker who proposed;
 * - `deal:<id>`: deals they are a party, the broker or the arbitrator of;
 * - `trade:<id>`: auctions and sealed biddings they sell or bid in. An auction's
 *   bids are public to its participants; in a sealed bidding a bidder reads its
 *   own commitment and reveal and the public steps (opening, outcome) at any time,
 *   and every record once the bidding is closed, which is when all reveals are
 *   public: any bidder can then recompute the outcome from certificates it fetched;
 * - `escrow:<address>`: the escrow's own events (pause, deadlines moved, roles), public.
 *
 * Anything else is refused, and so is a record that does not exist, so ids cannot be probed.
 */
export class EvidenceAccess {
  /**
   * `readers` answer, for each kind of subject a domain owns (`listing`, `deal`,
   * …), whether user `me` takes part in subject `id`; each domain writes its own
   * (market/subjectReaders.ts, escrow's arbitrator), so evidence reads no other
   * domain's tables. `user` and `escrow` subjects are answered here.
   */
  constructor(private readonly readers: SubjectReaders) {}

  /** Whether `principal` may read `record` (undefined: a record that does not exist). */
  async mayRead(principal: Principal | undefined, record: SealedRecord | undefined): Promise<boolean> {
    if (!record) return !readsOwnOnly(principal) && principal !== undefined;
    return this.mayReadIn(principal, record.header.subject, record);
  }

  /**
   * Whether `principal` may read the whole chain of `subject`: as for its records,
   * except that a sealed bidding's chain is whole only to its seller and, once
   * closed, to its bidders.
   */
  mayReadSubject(principal: Principal | undefined, subject: string): Promise<boolean> {
    return this.mayReadIn(principal, subject, undefined);
  }

  private async mayReadIn(
    principal: Principal | undefined,
    subject: string,
    record: SealedRecord | undefined,
  ): Promise<boolean> {
    if (!principal) return false;
    if (!readsOwnOnly(principal)) return true;
    const [kind, id] = splitSubject(subject);
    if (kind === "user") return id === principal.id;
    if (kind === "escrow") return true;
    const reader = Object.hasOwn(this.readers, kind) ? this.readers[kind] : undefined;
    return reader ? reader(principal.id, id, record) : false;
  }
}

/** Whether user `me` takes part in subject `id` (of one kind); `record` is the record asked for, if one is. */
export type SubjectReader = (me: string, id: string, record: SealedRecord | undefined) => Promise<boolean>;

/** The readers of each kind of subject a domain owns. */
export type SubjectReaders = Record<string, SubjectReader>;

/** A user who is not an auditor reads only what concerns them; staff services and auditors read all. */
function readsOwnOnly(principal: Principal | undefined): boolean {
  return principal?.kind === "user" && !holdsAny(principal, EVIDENCE_READERS);
}

function splitSubject(subject: string): [string, string] {
  const colon = subject.indexOf(":");
  return colon < 0 ? [subject, ""] : [subject.slice(0, colon), subject.slice(colon + 1)];
}
