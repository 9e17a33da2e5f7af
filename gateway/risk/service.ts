import { createHash, createHmac, randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RiskFiguresView, RiskRecordView, SealedRecord } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import type { DealWorkspaces } from "../deal/workspace";
import type { UserService } from "../identity/users";
import type { MatchService } from "../market/matches";
import { publicVersion, type Listing } from "../market/types";
import { WriteUnit } from "../store/writeUnit";
import { KeyedLock } from "../util/keyedLock";
import type { BidGate, CertificationGate, CounterpartyGate, EscrowTermsGate, SignInWatch } from "./gates";
import { minHashSignature, NearDuplicateIndex } from "./nearDuplicates";
import { partyRecord, type PartyRecordSources } from "./partyRecord";
import type { RiskRepository } from "./repository";
import {
  loadRiskRules,
  parseRiskRules,
  RISK_RULE_NAMES,
  RiskRulesError,
  type RiskRuleName,
  type RiskRules,
  type ShillIdentifier,
} from "./rules";
import {
  alertSubject,
  approvalSubject,
  blacklistSubject,
  partySubject,
  type AlertEvidence,
  type AlertStatus,
  type BankAccount,
  type BlacklistEntry,
  type BlacklistKind,
  type DealApproval,
  type RiskAlert,
  type SeenIdentifier,
} from "./types";

/** Escrow events that move money: a deposit locked, an instruction to the bank to pay. */
const PAYMENT_EVENTS = new Set(["DepositLocked", "InstructionIssued", "InstructionReissued"]);

/** A unified social credit code (GB 32100): 18 characters of its alphabet. */
const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** What an alert is raised with; `key` names the occurrence so it is raised once. */
interface AlertInput {
  rule: RiskRuleName;
  key: string;
  userIds: string[];
  summary: string;
  evidence: AlertEvidence;
  outcome: RiskAlert["outcome"];
}

export interface RiskControlOptions {
  rulesFile: string;
  clock?: () => Date;
  log?: (message: string) => void;
}

/** The services risk control reads through: a party's record's sources, the matches and the users. */
export interface RiskSources extends PartyRecordSources {
  matches: PartyRecordSources["matches"] & Pick<MatchService, "getMatch">;
  dealWorkspaces: PartyRecordSources["dealWorkspaces"] & Pick<DealWorkspaces, "participantsOf">;
}

/**
 * Risk control (docs/RISK.md): the rules the operator configures, checked at
 * the decisive steps of the other services (the gates they hold) and on the
 * records they write; the alerts the rules raise and the staff's decisions on
 * them; the managers' approvals of large deals; the blacklist; and a party's
 * record. Everything a bid or a deal move asks of it is answered from memory
 * (indexes kept here), so the rules cost those steps next to nothing unless
 * they fire.
 */
export class RiskControl implements BidGate, CounterpartyGate, EscrowTermsGate, CertificationGate, SignInWatch {
  private current!: RiskRules;
  private loadedAt = "";
  private readonly clock: () => Date;
  private readonly log: (message: string) => void;
  /** Accounts behind each identifier (`kind NUL value`), and each account's identifiers. */
  private readonly accountsBehind = new Map<string, Set<string>>();
  private readonly identifiersOf = new Map<string, Set<string>>();
  /** Active blacklist entries: user ids and credit codes. */
  private readonly blacklistedUsers = new Map<string, string>();
  private readonly blacklistedCodes = new Map<string, string>();
  /** Recent failed sign-ins by address (times in ms), for the failed sign-in rule. */
  private readonly failures = new Map<string, number[]>();
  private readonly listings = new NearDuplicateIndex();
  /** Work started outside a request (records seen, sign-ins), awaited by `idle`. */
  private readonly pending = new Set<Promise<unknown>>();
  /** One decision per alert, one alert per occurrence, one approval per deal at a time. */
  private readonly lock = new KeyedLock();

  /** The key of bank-account digests (DATA_DIR/risk-identifier.key), read or made by `init`. */
  private identifierKey: Buffer = Buffer.alloc(0);

  constructor(
    private readonly tables: RiskRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly sources: RiskSources,
    private readonly options: RiskControlOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? (() => {});
  }

  /** Loads the rules (writing the default file on first start; a bad file throws), the identifier key and the indexes. */
  async init(): Promise<void> {
    this.current = await loadRiskRules(this.options.rulesFile);
    this.identifierKey = await identifierKey(path.join(path.dirname(this.options.rulesFile), IDENTIFIER_KEY_FILE));
    this.loadedAt = this.clock().toISOString();
    for await (const seen of this.tables.identifiers.values()) this.index(seen.userId, seen.kind, seen.value);
    for await (const entry of this.tables.blacklist.values()) this.applyBlacklist(entry);
    for await (const fingerprint of this.tables.fingerprints.values()) {
      this.listings.add({ id: fingerprint.listingId, ownerId: fingerprint.ownerId, signature: fingerprint.signature });
    }
  }

  /** The rules in force and when they were loaded. */
  rules(): { file: string; loadedAt: string; rules: RiskRules } {
    return { file: this.options.rulesFile, loadedAt: this.loadedAt, rules: structuredClone(this.current) };
  }

  /**
   * Reads the rules file again (the reload route, SIGHUP). A file that is not
   * valid is refused with every problem named, and the rules in force stay.
   */
  async reloadRules(by: string): Promise<{ file: string; loadedAt: string; rules: RiskRules }> {
    let next: RiskRules;
    let text: string;
    try {
      text = await readFile(this.options.rulesFile, "utf8");
      next = parseRiskRules(text, this.options.rulesFile);
    } catch (error) {
      if (error instanceof RiskRulesError) {
        throw unprocessable("RISK_RULES_INVALID", `${error.message}; the rules in force stay`);
      }
      throw unprocessable(
        "RISK_RULES_UNREADABLE",
        `cannot read ${this.options.rulesFile}: ${(error as Error).message}`,
      );
    }
    await this.recorder.write(async (unit) => {
      await unit.seal({
        kind: "risk.rules.reloaded",
        subject: "risk-rules",
        data: { by, file: this.options.rulesFile, sha256: createHash("sha256").update(text).digest("hex") },
      });
    });
    this.current = next;
    this.loadedAt = this.clock().toISOString();
    this.log(`risk rules reloaded from ${this.options.rulesFile} by ${by}`);
    return this.rules();
  }

  // ---------------------------------------------------------------- gates

  async beforeBid(bid: Parameters<BidGate["beforeBid"]>[0]): Promise<void> {
    const { rules } = this.current;
    if (rules.blacklist.enabled) await this.assertEligible([bid.bidderId, bid.sellerId], { auctionId: bid.auctionId });
    if (rules.shillBidding.enabled) {
      // From the bidder's few identifiers to the accounts behind them, and only those looked for in the auction:
      // the cost does not grow with the auction's bids.
      const inAuction = (userId: string) => userId === bid.sellerId || bid.earlierBidderIds.includes(userId);
      const shared = this.sharedIdentifiers(bid.bidderId, inAuction, rules.shillBidding.identifiers);
      if (shared.length > 0) {
        const refuse = rules.shillBidding.action === "refuse";
        const related = [...new Set(shared.map((s) => s.userId))];
        await this.raise({
          rule: "shillBidding",
          key: `shillBidding:${bid.auctionId}:${bid.bidderId}:${related.join(",")}`,
          userIds: [bid.bidderId, ...related],
          summary: `bidder ${bid.bidderId} shares ${[...new Set(shared.map((s) => s.kind))].join(", ")} with ${related.join(", ")} in auction ${bid.auctionId}`,
          evidence: {
            recordIds: [],
            objects: { auctionId: bid.auctionId, bidderId: bid.bidderId },
            facts: {
              related,
              shared: shared.map((s) => `${s.userId} ${s.kind}`),
              amount: bid.amount,
              currency: bid.currency,
              action: rules.shillBidding.action,
            },
          },
          outcome: refuse ? "refused" : "flagged",
        });
        if (refuse) {
          throw conflict(
            "SHILL_BIDDING_SUSPECTED",
            "this bid is refused: the bidder shares a device, signing key or bank account with the seller or another bidder of this auction",
          );
        }
      }
    }
    if (rules.newAccount.enabled) {
      await this.checkNewAccount(bid.bidderId, bid.amount, bid.currency, { auctionId: bid.auctionId });
    }
  }

  async beforeCounterparties(partyIds: readonly string[]): Promise<void> {
    if (this.current.rules.blacklist.enabled) await this.assertEligible(partyIds, {});
  }

  async beforeEscrowTerms(terms: Parameters<EscrowTermsGate["beforeEscrowTerms"]>[0]): Promise<void> {
    const { rules } = this.current;
    const parties = [terms.supplierId, terms.demanderId];
    if (rules.blacklist.enabled) await this.assertEligible(parties, { dealId: terms.dealId });
    if (rules.newAccount.enabled) {
      for (const party of parties) {
        await this.checkNewAccount(party, terms.total, terms.currency, { dealId: terms.dealId });
      }
    }
    const threshold = rules.largeDeal.amountAbove[terms.currency];
    if (!rules.largeDeal.enabled || threshold === undefined || terms.total <= threshold) return;
    const approval = await this.tables.approvals.get(terms.dealId);
    if (approval && approval.currency === terms.currency && approval.total >= terms.total) return;
    await this.raise({
      rule: "largeDeal",
      key: `largeDeal:${terms.dealId}:${terms.currency}:${terms.total}`,
      userIds: parties,
      summary: `deal ${terms.dealId} of ${terms.total} ${terms.currency} (minor units) is above ${threshold}: a manager approves it before its escrow terms`,
      evidence: {
        recordIds: [],
        objects: { dealId: terms.dealId },
        facts: { total: terms.total, currency: terms.currency, threshold },
      },
      outcome: "refused",
    });
    throw conflict(
      "DEAL_APPROVAL_REQUIRED",
      `a deal above ${threshold} ${terms.currency} (minor units) needs a manager's approval before its escrow terms (POST /v1/deals/${terms.dealId}/risk-approval)`,
    );
  }

  beforeCertification(identity: { kind: string; number: string }): void {
    if (!this.current.rules.blacklist.enabled || identity.kind !== "credit-code") return;
    const entryId = this.blacklistedCodes.get(identity.number.toUpperCase());
    if (!entryId) return;
    this.background(
      this.raise({
        rule: "blacklist",
        key: `blacklist:credit-code:${identity.number}:${this.clock().toISOString()}`,
        userIds: [],
        summary: `a certification with the blacklisted credit code ${identity.number} was refused`,
        evidence: { recordIds: [], objects: { blacklistEntryId: entryId }, facts: { creditCode: identity.number } },
        outcome: "refused",
      }),
    );
    throw forbidden(
      "CREDIT_CODE_BLACKLISTED",
      "this unified social credit code is blacklisted and cannot be certified",
    );
  }

  signedIn(userId: string, address: string, device: string | undefined): void {
    this.background(this.see(userId, "signingKey", address.toLowerCase()));
    if (device) this.background(this.see(userId, "device", device));
  }

  signInFailed(address: string | undefined, code: string): void {
    const rule = this.current.rules.failedSignIns;
    if (!rule.enabled || !address) return;
    const key = address.toLowerCase();
    const now = this.clock().getTime();
    const window = rule.withinMinutes * 60_000;
    const recent = (this.failures.get(key) ?? []).filter((at) => now - at < window);
    recent.push(now);
    if (recent.length < rule.attempts) {
      this.failures.set(key, recent);
      return;
    }
    this.failures.delete(key);
    this.background(
      (async () => {
        const user = await this.users.findByAddress(address).catch(() => undefined);
        await this.raise({
          rule: "failedSignIns",
          key: `failedSignIns:${key}:${recent[0]}`,
          userIds: user ? [user.id] : [],
          summary: `${recent.length} failed sign-ins for ${address} within ${rule.withinMinutes} minutes (last: ${code})`,
          evidence: {
            recordIds: [],
            objects: { address },
            facts: {
              attempts: recent.length,
              threshold: rule.attempts,
              withinMinutes: rule.withinMinutes,
              first: new Date(recent[0]).toISOString(),
              last: new Date(now).toISOString(),
              lastCode: code,
            },
          },
          outcome: "flagged",
        });
      })(),
    );
  }

  // ---------------------------------------------------------------- what the other services did

  /**
   * Records once durable (`recorder.onRecorded`), off the path of the request
   * that wrote them: a payment is checked against recent changes of its parties,
   * and a deal's move against the blacklist (an entry added while the deal runs).
   */
  recorded(records: readonly SealedRecord[]): void {
    const { rules } = this.current;
    for (const record of records) {
      if (record.header.kind === "deal.moved") {
        // Most of the time the blacklist is empty and a move costs this one comparison.
        if (rules.blacklist.enabled && this.blacklistedUsers.size > 0) {
          this.background(this.checkDealParties(record, record.header.subject.slice("deal:".length)));
        }
        continue;
      }
      if (record.header.kind !== "escrow.event" || !rules.changedBeforePayment.enabled) continue;
      const data = record.data as { event?: string; dealId?: string };
      if (!data.event || !PAYMENT_EVENTS.has(data.event) || !data.dealId) continue;
      this.background(this.checkChangesBeforePayment(record, data.dealId, data.event));
    }
  }

  /** A listing published (`listings.onPublished`): kept for comparison, and compared with the others. */
  async listingPublished(listing: Listing): Promise<void> {
    const version = publicVersion(listing);
    if (!version) return;
    const { title, summary } = version.content as { title: Record<string, string>; summary: Record<string, string> };
    const signature = minHashSignature([...Object.values(title), ...Object.values(summary)].join(" "));
    const rule = this.current.rules.nearDuplicateListing;
    if (rule.enabled) {
      const copies = this.listings
        .similarTo(listing.id, signature, rule.similarityAtLeast)
        .filter((other) => other.ownerId !== listing.ownerId);
      if (copies.length > 0) {
        const [closest] = copies;
        await this.raise({
          rule: "nearDuplicateListing",
          key: `nearDuplicateListing:${listing.id}:${version.version}`,
          userIds: [listing.ownerId, ...new Set(copies.map((copy) => copy.ownerId))],
          summary: `listing ${listing.id} is ${Math.round(closest.similarity * 100)}% like listing ${closest.id} of another owner`,
          evidence: {
            recordIds: [version.recordId],
            objects: { listingId: listing.id, similarListingId: closest.id },
            facts: {
              similarity: closest.similarity,
              threshold: rule.similarityAtLeast,
              similarListings: copies.map((copy) => `${copy.id} ${copy.similarity.toFixed(2)}`),
            },
          },
          outcome: "flagged",
        });
      }
    }
    this.listings.add({ id: listing.id, ownerId: listing.ownerId, signature });
    const unit = new WriteUnit();
    unit.put(this.tables.fingerprints, listing.id, { listingId: listing.id, ownerId: listing.ownerId, signature });
    await this.tables.database.write(unit.operations);
  }

  // ---------------------------------------------------------------- the queue

  async alerts(filter: { status?: AlertStatus; rule?: RiskRuleName; limit?: number } = {}): Promise<RiskAlert[]> {
    const found: RiskAlert[] = [];
    for await (const alert of this.tables.alerts.values()) {
      if (filter.status && alert.status !== filter.status) continue;
      if (filter.rule && alert.rule !== filter.rule) continue;
      found.push(alert);
    }
    found.sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
    return found.slice(0, filter.limit ?? 100);
  }

  async alert(id: string): Promise<RiskAlert> {
    const alert = await this.tables.alerts.get(id);
    if (!alert) throw notFound("ALERT_NOT_FOUND", `no alert ${id}`);
    return alert;
  }

  /** Staff accept an alert (founded) or dismiss it (a false positive), with a reason: a record. */
  async decide(staff: Principal, id: string, decision: "accept" | "dismiss", reason: string): Promise<RiskAlert> {
    return this.lock.run([id], () =>
      this.recorder.write(async (unit) => {
        const alert = await this.alert(id);
        if (alert.status !== "open") {
          throw conflict("ALERT_DECIDED", `alert ${id} was ${alert.status} already`);
        }
        const at = this.clock().toISOString();
        const sealed = await unit.seal({
          kind: "risk.alert.decided",
          subject: alertSubject(id),
          data: { alertId: id, decision, reason, by: staff.id },
        });
        const decided: RiskAlert = {
          ...alert,
          status: decision === "accept" ? "accepted" : "dismissed",
          decision: { decision, reason, by: staff.id, at, recordId: sealed.header.id },
        };
        unit.put(this.tables.alerts, id, decided);
        return decided;
      }),
    );
  }

  /** Alerts per rule, time to decision and false-positive rate (dismissed / decided), over every alert. */
  async figures(): Promise<RiskFiguresView> {
    const byRule = new Map<string, RiskAlert[]>(RISK_RULE_NAMES.map((rule) => [rule, []]));
    const all: RiskAlert[] = [];
    for await (const alert of this.tables.alerts.values()) {
      all.push(alert);
      byRule.get(alert.rule)?.push(alert);
    }
    return {
      overall: figuresOf(all),
      byRule: Object.fromEntries([...byRule].map(([rule, alerts]) => [rule, figuresOf(alerts)])),
      asOf: this.clock().toISOString(),
    };
  }

  // ---------------------------------------------------------------- approvals

  /** A manager approves a large deal held for approval: its terms may then be proposed up to the amount held. */
  async approve(manager: Principal, dealId: string, reason: string): Promise<DealApproval> {
    const held = (await this.alerts({ rule: "largeDeal", limit: Number.MAX_SAFE_INTEGER })).find(
      (alert) => alert.evidence.objects.dealId === dealId,
    );
    if (!held) {
      throw conflict("NO_APPROVAL_PENDING", `deal ${dealId} was not held for a manager's approval`);
    }
    const total = Number(held.evidence.facts.total);
    const currency = String(held.evidence.facts.currency);
    return this.lock.run([`approval:${dealId}`, held.id], () =>
      this.recorder.write(async (unit) => {
        const existing = await this.tables.approvals.get(dealId);
        if (existing && existing.currency === currency && existing.total >= total) {
          throw conflict(
            "DEAL_APPROVED",
            `deal ${dealId} is approved already (${existing.total} ${existing.currency})`,
          );
        }
        const at = this.clock().toISOString();
        const sealed = await unit.seal({
          kind: "risk.approval.granted",
          subject: approvalSubject(dealId),
          data: { dealId, total, currency, by: manager.id, reason, alertId: held.id },
        });
        const approval: DealApproval = {
          dealId,
          total,
          currency,
          by: manager.id,
          reason,
          at,
          recordId: sealed.header.id,
        };
        unit.put(this.tables.approvals, dealId, approval);
        const alert = await this.tables.alerts.get(held.id);
        if (alert?.status === "open") {
          const decided = await unit.seal({
            kind: "risk.alert.decided",
            subject: alertSubject(alert.id),
            data: { alertId: alert.id, decision: "accept", reason: `approved: ${reason}`, by: manager.id },
          });
          unit.put(this.tables.alerts, alert.id, {
            ...alert,
            status: "accepted",
            decision: {
              decision: "accept",
              reason: `approved: ${reason}`,
              by: manager.id,
              at,
              recordId: decided.header.id,
            },
          });
        }
        return approval;
      }),
    );
  }

  async approval(dealId: string): Promise<DealApproval | undefined> {
    return this.tables.approvals.get(dealId);
  }

  // ---------------------------------------------------------------- blacklist

  async blacklistEntries(): Promise<BlacklistEntry[]> {
    const entries: BlacklistEntry[] = [];
    for await (const entry of this.tables.blacklist.values()) entries.push(entry);
    return entries.sort((a, b) => b.addedAt.localeCompare(a.addedAt));
  }

  async addToBlacklist(by: Principal, kind: BlacklistKind, value: string, reason: string): Promise<BlacklistEntry> {
    const normal = kind === "credit-code" ? value.toUpperCase() : value;
    if (kind === "credit-code" && !CREDIT_CODE.test(normal)) {
      throw unprocessable("CREDIT_CODE_FORMAT", "a unified social credit code is 18 characters (GB 32100)");
    }
    if (kind === "user" && !(await this.users.find(normal))) throw notFound("USER_NOT_FOUND", `no account ${value}`);
    return this.lock.run([`blacklist:${kind}:${normal}`], async () => {
      const active = kind === "user" ? this.blacklistedUsers : this.blacklistedCodes;
      if (active.has(normal)) throw conflict("ALREADY_BLACKLISTED", `${value} is on the blacklist already`);
      const id = `bl_${randomBytes(8).toString("hex")}`;
      const entry = await this.recorder.write(async (unit) => {
        const sealed = await unit.seal({
          kind: "risk.blacklist.changed",
          subject: blacklistSubject(id),
          data: { change: "added", entryId: id, kind, value: normal, reason, by: by.id },
        });
        const entry: BlacklistEntry = {
          id,
          kind,
          value: normal,
          reason,
          addedBy: by.id,
          addedAt: this.clock().toISOString(),
          recordId: sealed.header.id,
        };
        unit.put(this.tables.blacklist, id, entry);
        return entry;
      });
      this.applyBlacklist(entry);
      return entry;
    });
  }

  async removeFromBlacklist(by: Principal, id: string, reason: string): Promise<BlacklistEntry> {
    return this.lock.run([id], () => this.removeEntry(by, id, reason));
  }

  private async removeEntry(by: Principal, id: string, reason: string): Promise<BlacklistEntry> {
    const entry = await this.recorder.write(async (unit) => {
      const entry = await this.tables.blacklist.get(id);
      if (!entry) throw notFound("BLACKLIST_ENTRY_NOT_FOUND", `no blacklist entry ${id}`);
      if (entry.removal) throw conflict("BLACKLIST_ENTRY_REMOVED", `entry ${id} was removed already`);
      const sealed = await unit.seal({
        kind: "risk.blacklist.changed",
        subject: blacklistSubject(id),
        data: { change: "removed", entryId: id, kind: entry.kind, value: entry.value, reason, by: by.id },
      });
      const removed: BlacklistEntry = {
        ...entry,
        removal: { reason, by: by.id, at: this.clock().toISOString(), recordId: sealed.header.id },
      };
      unit.put(this.tables.blacklist, id, removed);
      return removed;
    });
    this.applyBlacklist(entry);
    return entry;
  }

  // ---------------------------------------------------------------- bank accounts

  /** A party declares the bank account it is paid to; the number is kept only as its digest and last four digits. */
  async declareBankAccount(userId: string, bank: string, accountNumber: string): Promise<BankAccount> {
    const digits = accountNumber.replace(/[\s-]/g, "");
    if (!/^\d{8,34}$/.test(digits)) {
      throw unprocessable("BANK_ACCOUNT_FORMAT", "a bank account number is 8 to 34 digits (spaces and dashes allowed)");
    }
    // Keyed: an account number has few enough digits that a plain hash of it could be reversed
    // by trying them all; compared only with each other here, the digests need no one else's key.
    const digest = createHmac("sha256", this.identifierKey).update(`bank-account:${digits}`).digest("hex");
    const account = await this.recorder.write(async (unit) => {
      const previous = await this.tables.bankAccounts.get(userId);
      const since = this.clock().toISOString();
      const sealed = await unit.seal({
        kind: "risk.bank-account.declared",
        subject: partySubject(userId),
        data: { userId, bank, last4: digits.slice(-4), digest, ...(previous && { replaces: previous.last4 }) },
      });
      const account: BankAccount = {
        userId,
        bank,
        last4: digits.slice(-4),
        digest,
        since,
        ...(previous && { replaced: since }),
        recordId: sealed.header.id,
      };
      unit.put(this.tables.bankAccounts, userId, account);
      return account;
    });
    await this.see(userId, "bankAccount", digest);
    return account;
  }

  async bankAccount(userId: string): Promise<BankAccount> {
    const account = await this.tables.bankAccounts.get(userId);
    if (!account) throw notFound("NO_BANK_ACCOUNT", `account ${userId} declared no bank account`);
    return account;
  }

  // ---------------------------------------------------------------- a party's record

  /** A party's record as staff see it (with the alerts waiting about it). */
  async recordOf(userId: string): Promise<RiskRecordView> {
    const user = await this.users.find(userId);
    if (!user) throw notFound("USER_NOT_FOUND", `no account ${userId}`);
    let openAlerts = 0;
    for await (const alert of this.tables.alerts.values()) {
      if (alert.status === "open" && alert.userIds.includes(userId)) openAlerts++;
    }
    return {
      ...(await partyRecord(this.sources, userId, this.clock())),
      blacklisted: this.blacklistedUsers.has(userId),
      suspended: user.status === "suspended",
      openAlerts,
    };
  }

  /**
   * The record of the caller's counter-party in a match, for a party about to
   * confirm it; nobody else (a staff member reads `recordOf`). Staff-only
   * figures (open alerts) are left out.
   */
  async counterpartyRecord(viewer: Principal, matchId: string): Promise<RiskRecordView> {
    const match = await this.sources.matches.getMatch(viewer, matchId);
    const other =
      viewer.id === match.supplierId ? match.demanderId : viewer.id === match.demanderId ? match.supplierId : undefined;
    if (!other)
      throw forbidden("NOT_A_PARTY", "only the supplier and the demander of a match read each other's record");
    return { ...(await this.recordOf(other)), openAlerts: 0 };
  }

  /** Resolves once the work started outside requests (alerts of sign-ins and payments) is done. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  // ---------------------------------------------------------------- internals

  private async assertEligible(partyIds: readonly string[], objects: Record<string, string>): Promise<void> {
    for (const id of partyIds) {
      const entryId = this.blacklistedUsers.get(id);
      const suspended = !entryId && (this.users.cached(id) ?? (await this.users.find(id)))?.status === "suspended";
      if (!entryId && !suspended) continue;
      await this.raise({
        rule: "blacklist",
        key: `blacklist:${id}:${Object.values(objects).join(":") || partyIds.join(",")}`,
        userIds: [...partyIds],
        summary: `${id} is ${entryId ? "blacklisted" : "suspended"} and was refused as a counter-party`,
        evidence: {
          recordIds: [],
          objects: { ...objects, userId: id, ...(entryId && { blacklistEntryId: entryId }) },
          facts: { blacklisted: Boolean(entryId), suspended },
        },
        outcome: "refused",
      });
      throw conflict(
        "COUNTERPARTY_BLACKLISTED",
        `account ${id} is ${entryId ? "on the blacklist" : "suspended"} and cannot be a counter-party`,
      );
    }
  }

  private async checkNewAccount(userId: string, amount: number, currency: string, objects: Record<string, string>) {
    const rule = this.current.rules.newAccount;
    const threshold = rule.amountAbove[currency];
    if (threshold === undefined || amount <= threshold) return;
    const user = this.users.cached(userId) ?? (await this.users.find(userId));
    const decision = user?.certification?.decision;
    if (!decision?.approved) return;
    const days = (this.clock().getTime() - Date.parse(decision.at)) / 86_400_000;
    if (days >= rule.certifiedWithinDays) return;
    await this.raise({
      rule: "newAccount",
      key: `newAccount:${userId}:${Object.values(objects).join(":")}`,
      userIds: [userId],
      summary: `${userId}, certified ${days.toFixed(1)} days ago, is in ${Object.values(objects).join(" ")} for ${amount} ${currency}`,
      evidence: {
        recordIds: [decision.recordId],
        objects: { ...objects, userId },
        facts: {
          amount,
          currency,
          threshold,
          certifiedAt: decision.at,
          certifiedDaysAgo: Math.round(days * 100) / 100,
          certifiedWithinDays: rule.certifiedWithinDays,
        },
      },
      outcome: "flagged",
    });
  }

  /** A deal moved while a party of it is on the blacklist: flagged once per deal and party. */
  private async checkDealParties(move: SealedRecord, dealId: string): Promise<void> {
    const participants = await this.sources.dealWorkspaces.participantsOf(dealId);
    if (!participants) return;
    for (const userId of [participants.supplierId, participants.demanderId]) {
      const entryId = this.blacklistedUsers.get(userId);
      if (!entryId) continue;
      await this.raise({
        rule: "blacklist",
        key: `blacklist:deal:${dealId}:${userId}`,
        userIds: [userId],
        summary: `deal ${dealId} moved (${String(move.data.move)}) while its party ${userId} is on the blacklist`,
        evidence: {
          recordIds: [move.header.id],
          objects: { dealId, userId, blacklistEntryId: entryId },
          facts: { move: String(move.data.move), to: String(move.data.to) },
        },
        outcome: "flagged",
      });
    }
  }

  private async checkChangesBeforePayment(payment: SealedRecord, dealId: string, event: string): Promise<void> {
    const rule = this.current.rules.changedBeforePayment;
    const agreement = await this.sources.escrowTerms.get(dealId).catch(() => undefined);
    if (!agreement) return;
    const paidAt = Date.parse(payment.header.recordedAt);
    const since = paidAt - rule.withinHours * 3_600_000;
    for (const userId of [agreement.supplierId, agreement.demanderId]) {
      const changes: string[] = [];
      const recordIds = [payment.header.id];
      const user = await this.users.find(userId);
      // The first key came with registration; later ones are rotations.
      for (const key of user?.signingKeys.slice(1) ?? []) {
        if (Date.parse(key.since) >= since) changes.push(`signing key ${key.value} since ${key.since}`);
      }
      const account = await this.tables.bankAccounts.get(userId);
      if (account && Date.parse(account.since) >= since) {
        changes.push(`bank account …${account.last4} since ${account.since}`);
        recordIds.push(account.recordId);
      }
      if (changes.length === 0) continue;
      await this.raise({
        rule: "changedBeforePayment",
        key: `changedBeforePayment:${payment.header.id}:${userId}`,
        userIds: [userId],
        summary: `${userId} changed ${changes.length === 1 ? "a signing key or bank account" : "signing key and bank account"} within ${rule.withinHours} h before ${event} of deal ${dealId}`,
        evidence: {
          recordIds,
          objects: { dealId, userId },
          facts: { payment: event, paidAt: payment.header.recordedAt, withinHours: rule.withinHours, changes },
        },
        outcome: "flagged",
      });
    }
  }

  /** Other accounts among `others` that share one of the `kinds` of identifier with `userId`. */
  private sharedIdentifiers(
    userId: string,
    isOther: (userId: string) => boolean,
    kinds: readonly ShillIdentifier[],
  ): Array<{ userId: string; kind: ShillIdentifier }> {
    const shared: Array<{ userId: string; kind: ShillIdentifier }> = [];
    for (const identifier of this.identifiersOf.get(userId) ?? []) {
      const accounts = this.accountsBehind.get(identifier);
      if (!accounts || accounts.size < 2) continue;
      const kind = identifier.slice(0, identifier.indexOf("\x00")) as ShillIdentifier;
      if (!kinds.includes(kind)) continue;
      for (const other of accounts) {
        if (other !== userId && isOther(other)) shared.push({ userId: other, kind });
      }
    }
    return shared;
  }

  /** Notes an identifier behind an account; the first sighting is a record. */
  private async see(userId: string, kind: SeenIdentifier["kind"], value: string): Promise<void> {
    const identifier = `${kind}\x00${value}`;
    if (this.identifiersOf.get(userId)?.has(identifier)) return;
    this.index(userId, kind, value);
    const seen: SeenIdentifier = { userId, kind, value, firstSeen: this.clock().toISOString() };
    await this.recorder.write(async (unit) => {
      await unit.seal({
        kind: "risk.identifier.seen",
        subject: partySubject(userId),
        data: { userId, identifier: kind, value },
      });
      unit.put(this.tables.identifiers, `${userId}\x00${kind}\x00${value}`, seen);
    });
  }

  private index(userId: string, kind: string, value: string): void {
    const identifier = `${kind}\x00${value}`;
    let accounts = this.accountsBehind.get(identifier);
    if (!accounts) this.accountsBehind.set(identifier, (accounts = new Set()));
    accounts.add(userId);
    let identifiers = this.identifiersOf.get(userId);
    if (!identifiers) this.identifiersOf.set(userId, (identifiers = new Set()));
    identifiers.add(identifier);
  }

  private applyBlacklist(entry: BlacklistEntry): void {
    const active = entry.kind === "user" ? this.blacklistedUsers : this.blacklistedCodes;
    if (entry.removal) {
      if (active.get(entry.value) === entry.id) active.delete(entry.value);
    } else {
      active.set(entry.value, entry.id);
    }
  }

  /** Raises an alert once per occurrence (`key`): a record, the alert, and its key, in one write. */
  private async raise(input: AlertInput): Promise<RiskAlert | undefined> {
    return this.lock.run([`occurrence:${input.key}`], () => this.raiseOnce(input));
  }

  private async raiseOnce(input: AlertInput): Promise<RiskAlert | undefined> {
    if (await this.tables.alertKeys.get(input.key)) return undefined;
    const id = `ra_${randomBytes(8).toString("hex")}`;
    return this.recorder.write(async (unit) => {
      const sealed = await unit.seal({
        kind: "risk.alert.raised",
        subject: alertSubject(id),
        data: {
          alertId: id,
          rule: input.rule,
          userIds: input.userIds,
          summary: input.summary,
          outcome: input.outcome,
          evidence: input.evidence as unknown as Record<string, unknown>,
        },
      });
      const alert: RiskAlert = {
        id,
        rule: input.rule,
        userIds: input.userIds,
        summary: input.summary,
        evidence: input.evidence,
        outcome: input.outcome,
        status: "open",
        raisedAt: this.clock().toISOString(),
        recordId: sealed.header.id,
      };
      unit.put(this.tables.alerts, id, alert);
      unit.put(this.tables.alertKeys, input.key, id);
      return alert;
    });
  }

  private background(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: Error) => this.log(`risk control: ${error.message}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

function figuresOf(alerts: readonly RiskAlert[]): RiskFiguresView["overall"] {
  const accepted = alerts.filter((alert) => alert.status === "accepted").length;
  const dismissed = alerts.filter((alert) => alert.status === "dismissed").length;
  const waits = alerts
    .filter((alert) => alert.decision)
    .map((alert) => (Date.parse(alert.decision!.at) - Date.parse(alert.raisedAt)) / 1000)
    .sort((a, b) => a - b);
  const middle = waits.length >> 1;
  const median = waits.length === 0 ? null : waits.length % 2 ? waits[middle] : (waits[middle - 1] + waits[middle]) / 2;
  return {
    raised: alerts.length,
    open: alerts.length - accepted - dismissed,
    accepted,
    dismissed,
    medianSecondsToDecision: median,
    falsePositiveRate: accepted + dismissed === 0 ? null : dismissed / (accepted + dismissed),
  };
}

/** The file, beside the rules file, holding the key of bank-account digests. */
export const IDENTIFIER_KEY_FILE = "risk-identifier.key";

/** The installation's key of bank-account digests: read, or made on first start (owner-only, like every key file). */
async function identifierKey(file: string): Promise<Buffer> {
  let text: string | undefined;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (text !== undefined) {
    const key = Buffer.from(text.trim(), "hex");
    if (key.length < 32) throw new Error(`${file} must hold a key of 32 bytes, in hex`);
    return key;
  }
  const key = randomBytes(32);
  await writeFile(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return key;
}
