import { id as keccakId } from "ethers";
import type { ChainClient } from "../chain/client";
import { RetryLoop } from "../util/retryLoop";
import type { IdentityRepository } from "./repository";
import { activeKey } from "./types";

export interface AccountSyncStatus {
  /** Changes queued for the on-chain account registry and not yet made. */
  waiting: number;
  /** Accounts whose on-chain listing differs from the certification decisions, at the last check. */
  mismatches: AccountMismatch[];
  checkedAt?: string;
  lastError?: { message: string; at: string };
  failingSince?: string;
}

export interface AccountMismatch {
  address: string;
  userId: string;
  expected: boolean;
  onChain: boolean;
}

const FULL_CHECK_INTERVAL_MS = 10 * 60_000;

/** The reference a user is listed under on chain: keccak256 of the user id, no personal data. */
export const userRefOf = (userId: string) => keccakId(userId);

/**
 * Keeps the on-chain account registry in step with certification decisions. The
 * user service queues each change (certify or revoke an address) in the same
 * atomic write as the decision; this worker makes them on chain in order, each
 * made idempotent by reading the chain first, and retries with backoff while the
 * chain is away. `check()` compares the whole registry with the store.
 */
export class AccountSync {
  private readonly loop: RetryLoop;
  private waiting = 0;
  private lastCheck: { mismatches: AccountMismatch[]; at: string } | undefined;
  private checkedAt = 0;

  constructor(
    private readonly tables: IdentityRepository,
    private readonly chain: ChainClient,
    private readonly options: { log?: (message: string) => void; pollMs?: number; maxBackoffMs?: number } = {},
  ) {
    this.loop = new RetryLoop(() => this.work(), {
      name: "account registry updates",
      pollMs: options.pollMs ?? 200,
      minBackoffMs: 250,
      maxBackoffMs: options.maxBackoffMs ?? 15_000,
      log: options.log,
    });
  }

  async start(): Promise<void> {
    this.waiting = 0;
    for await (const _ of this.tables.accountOps.keys()) this.waiting++;
    this.checkedAt = 0;
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Tells the worker that changes were queued. */
  notify(): void {
    this.waiting++;
    this.loop.poke();
  }

  status(): AccountSyncStatus {
    return {
      waiting: this.waiting,
      mismatches: this.lastCheck?.mismatches ?? [],
      checkedAt: this.lastCheck?.at,
      ...this.loop.status(),
    };
  }

  /** Compares the registry with the store now (see {@link compareAccounts}) and keeps the result for /health. */
  async check(): Promise<AccountMismatch[]> {
    const mismatches = await compareAccounts(this.tables, this.chain.accounts);
    this.lastCheck = { mismatches, at: new Date().toISOString() };
    return mismatches;
  }

  /**
   * One round: the oldest queued change; and, when nothing waits, the whole
   * registry compared at start and every ten minutes (in between each change
   * made is checked on its own, in step).
   */
  private async work(): Promise<boolean> {
    const worked = await this.step();
    if (this.waiting === 0 && Date.now() - this.checkedAt > FULL_CHECK_INTERVAL_MS) {
      const mismatches = await this.check();
      if (mismatches.length) {
        this.options.log?.(`account registry differs from the store for ${mismatches.length} address(es)`);
      }
      this.checkedAt = Date.now();
    }
    return worked;
  }

  /** Makes the oldest queued change on chain; true when there was one. */
  private async step(): Promise<boolean> {
    for await (const [key, op] of this.tables.accountOps.iterator({ limit: 1 })) {
      const listed = await this.chain.accounts.isCertified(op.address);
      if (op.op === "certify" && !listed) {
        await this.chain.sendAndWait((overrides) =>
          this.chain.accounts.certify(op.address, userRefOf(op.userId), overrides),
        );
      } else if (op.op === "revoke" && listed) {
        await this.chain.sendAndWait((overrides) => this.chain.accounts.revoke(op.address, overrides));
      }
      await this.tables.database.write([{ type: "del", sublevel: this.tables.accountOps, key }]);
      this.waiting = Math.max(0, this.waiting - 1);
      if (this.lastCheck) {
        const address = op.address.toLowerCase();
        this.lastCheck.mismatches = this.lastCheck.mismatches.filter((m) => m.address.toLowerCase() !== address);
      }
      return true;
    }
    this.waiting = 0;
    return false;
  }
}

/**
 * Compares every signing address the store knows with the account registry: the
 * active key of a certified account must be listed, every other key must not.
 * Changes still queued for the chain are not mismatches yet, so they are skipped.
 * Used by /health (through AccountSync) and by `npm run audit`.
 */
export async function compareAccounts(
  tables: IdentityRepository,
  accounts: { isCertified(address: string): Promise<boolean> },
): Promise<AccountMismatch[]> {
  const queued = new Set<string>();
  for await (const op of tables.accountOps.values()) queued.add(op.address.toLowerCase());
  const mismatches: AccountMismatch[] = [];
  for await (const user of tables.users.values()) {
    const active = activeKey(user.signingKeys);
    for (const key of user.signingKeys) {
      if (queued.has(key.value.toLowerCase())) continue;
      const expected = user.status === "certified" && key.value === active;
      const onChain = await accounts.isCertified(key.value);
      if (onChain !== expected) mismatches.push({ address: key.value, userId: user.id, expected, onChain });
    }
  }
  return mismatches;
}
