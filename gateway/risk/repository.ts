import type { Database } from "../store/database";
import type { BankAccount, BlacklistEntry, DealApproval, ListingFingerprint, RiskAlert, SeenIdentifier } from "./types";

/** Risk control's tables: alerts, approvals, the blacklist, bank accounts, identifiers seen, listing fingerprints. */
export class RiskRepository {
  /** Alerts by id. */
  readonly alerts;
  /** The alert already raised for one occurrence (`rule NUL what`), so an occurrence is raised once. */
  readonly alertKeys;
  /** Large deals' approvals by deal id. */
  readonly approvals;
  /** Blacklist entries by id, removed ones included. */
  readonly blacklist;
  /** Each party's bank account by user id. */
  readonly bankAccounts;
  /** Identifiers behind accounts by `userId NUL kind NUL value`. */
  readonly identifiers;
  /** Published listings' MinHash signatures by listing id. */
  readonly fingerprints;

  constructor(readonly database: Database) {
    this.alerts = database.table<RiskAlert>("risk-alerts");
    this.alertKeys = database.table<string>("risk-alert-keys", "utf8");
    this.approvals = database.table<DealApproval>("risk-approvals");
    this.blacklist = database.table<BlacklistEntry>("risk-blacklist");
    this.bankAccounts = database.table<BankAccount>("risk-bank-accounts");
    this.identifiers = database.table<SeenIdentifier>("risk-identifiers");
    this.fingerprints = database.table<ListingFingerprint>("risk-listing-fingerprints");
  }
}
