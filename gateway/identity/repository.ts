import type { Database } from "../store/database";
import type { User } from "./types";

/** A change to the on-chain account registry that the gateway owes the chain. */
export interface AccountOperation {
  op: "certify" | "revoke";
  address: string;
  userId: string;
  /** The user record that caused it. */
  recordId: string;
}

/** Identity's tables: users, the addresses and identities they hold, and the account registry's outbox. */
export class IdentityRepository {
  readonly users;
  /** Every signing address ever held (lower case) → user id: an address never changes hands. */
  readonly addresses;
  /** Hash of a certified identity (document kind, country, number) → user id: one account per person or organisation. */
  readonly identities;
  /** Changes to make to the on-chain account registry, in order (an outbox). */
  readonly accountOps;

  constructor(readonly database: Database) {
    this.users = database.table<User>("users");
    this.addresses = database.table<string>("addresses", "utf8");
    this.identities = database.table<string>("identities", "utf8");
    this.accountOps = database.table<AccountOperation>("account-ops");
  }
}
