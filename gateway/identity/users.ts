import { createHash, randomBytes } from "node:crypto";
import { getAddress } from "ethers";
import { AGE_RECIPIENT_PATTERN, FILES_FIELD, type FileDescriptor, type SealedRecord } from "tech-transfer-ledger/sdk";
import { ROLES_WITH_CERTIFICATE, type UserRole } from "../auth/roles";
import { badRequest, conflict, notFound, forbidden } from "../errors";
import type { EvidenceKind } from "../evidence/kinds";
import type { EvidenceRecorder, RecordFile } from "../evidence/recorder";
import { pad, type BatchOperation } from "../store/database";
import type { IdentityRepository, AccountOperation } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import type { CertificationGate } from "../risk/gates";
import { activeKey, userSubject, type AccountStatus, type AccountType, type Identity, type User } from "./types";
import { validateCreditCode, validateForeignRegistration, validatePassport, validateResidentId } from "./validators";

type ChainChange = Pick<AccountOperation, "op" | "address">;

export { AGE_RECIPIENT_PATTERN };

export interface RegisterInput {
  type: AccountType;
  names: Record<string, string>;
  encryptionRecipient: string;
}

export type IdentityInput =
  | { kind: "resident-id"; name: string; number: string }
  | { kind: "passport"; name: string; number: string; country: string }
  | { kind: "credit-code"; name: string; number: string; legalRepresentative: string }
  | { kind: "foreign-registration"; name: string; number: string; country: string; legalRepresentative: string };

/** What a person or organisation may certify with, by kind of account. */
const IDENTITY_KINDS: Record<AccountType, Identity["kind"][]> = {
  individual: ["resident-id", "passport"],
  enterprise: ["credit-code", "foreign-registration"],
  institute: ["credit-code", "foreign-registration"],
  service: ["credit-code", "foreign-registration"],
};

/**
 * Accounts, real-name certification (clause 6.2), keys and roles. Every change
 * is an evidence record on the user's subject, written in the same atomic write
 * as the change itself, and every change that affects who may trade also queues
 * the matching change of the on-chain account registry.
 */
export class UserService {
  private readonly lock = new KeyedLock();
  private readonly cache = new Map<string, User>();
  private nextAccountOp = 0;
  private readonly accountOpListeners: Array<() => void> = [];
  private certifications?: CertificationGate;

  constructor(
    private readonly tables: IdentityRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async init(): Promise<void> {
    const last = await this.tables.database.lastKey(this.tables.accountOps);
    this.nextAccountOp = last === undefined ? 0 : Number(last) + 1;
  }

  /** Asks risk control before a certification is taken (set once at start; docs/RISK.md). */
  useRiskGate(certifications: CertificationGate): void {
    this.certifications = certifications;
  }

  /** Calls `listener` whenever changes for the on-chain account registry are queued. */
  onAccountOperations(listener: () => void): void {
    this.accountOpListeners.push(listener);
  }

  /** The user, or 404. */
  async get(id: string): Promise<User> {
    const user = this.cache.get(id) ?? (await this.tables.users.get(id));
    if (!user) throw notFound("USER_NOT_FOUND", `no user with id ${id}`);
    this.cache.set(id, user);
    return user;
  }

  /** The user if it is in memory (no store read); for the hot path of authentication. */
  cached(id: string): User | undefined {
    return this.cache.get(id);
  }

  /** The user, or undefined (for authentication, where absence is not an error). */
  async find(id: string): Promise<User | undefined> {
    return this.get(id).catch(() => undefined);
  }

  async findByAddress(address: string): Promise<User | undefined> {
    const id = await this.tables.addresses.get(address.toLowerCase());
    return id ? this.find(id) : undefined;
  }

  /** Users, optionally only those in one status, oldest first. */
  async list({ status, limit = 100 }: { status?: AccountStatus; limit?: number } = {}): Promise<User[]> {
    const users: User[] = [];
    for await (const user of this.tables.users.values()) {
      if (!status || user.status === status) users.push(user);
    }
    return users.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, limit);
  }

  /**
   * Opens an account for the holder of `address` (proven by a signed challenge).
   *
   * @example
   * await users.register({ type: "enterprise", names: { zh: "云南某科技有限公司" }, encryptionRecipient }, address);
   */
  async register(input: RegisterInput, address: string): Promise<User> {
    const signing = getAddress(address);
    if (!AGE_RECIPIENT_PATTERN.test(input.encryptionRecipient)) {
      throw badRequest("INVALID_RECIPIENT", "encryptionRecipient must be an age X25519 recipient (age1…)");
    }
    return this.lock.run([`address:${signing.toLowerCase()}`], async () => {
      if (await this.tables.addresses.get(signing.toLowerCase())) {
        throw conflict("ADDRESS_TAKEN", `the address ${signing} already belongs to an account; sign in instead`);
      }
      const now = this.clock().toISOString();
      const user: User = {
        id: `usr_${randomBytes(12).toString("hex")}`,
        type: input.type,
        names: input.names,
        status: "registered",
        signingKeys: [{ value: signing, since: now }],
        encryptionKeys: [{ value: input.encryptionRecipient, since: now }],
        roles: [],
        createdAt: now,
        updatedAt: now,
      };
      return this.commit(
        user.id,
        () => user,
        "user.registered",
        { type: user.type, names: user.names, signingAddress: signing, encryptionRecipient: input.encryptionRecipient },
        { extra: [{ type: "put", sublevel: this.tables.addresses, key: signing.toLowerCase(), value: user.id }] },
      );
    });
  }

  /**
   * Submits (or corrects, or changes) the real-name certification details. The
   * account goes to review; a certified account stops trading until approved again.
   */
  async submitCertification(userId: string, input: IdentityInput, licence?: RecordFile): Promise<User> {
    const current = await this.get(userId);
    const identity = normaliseIdentity(current.type, input, this.clock());
    const isOrganisation = current.type !== "individual";
    if (isOrganisation && !licence)
      throw badRequest("LICENCE_REQUIRED", "an organisation certifies with its licence document");
    if (!isOrganisation && licence)
      throw badRequest("LICENCE_NOT_EXPECTED", "an individual certifies without a licence document");
    // A blacklisted credit code is refused before anything is kept (docs/RISK.md).
    this.certifications?.beforeCertification(identity);
    const identityKey = identityKeyOf(identity);
    return this.lock.run([userId, `identity:${identityKey}`], async () => {
      const user = await this.get(userId);
      if (user.status === "suspended")
        throw forbidden("ACCOUNT_SUSPENDED", "a suspended account cannot submit certification");
      // Only a certified holder blocks: a pending or rejected claim by someone else must not lock
      // the real holder out (a squatter could otherwise claim any number); the reviewer sees both.
      if (await this.certifiedHolderOf(identityKey, userId)) {
        throw conflict("IDENTITY_TAKEN", "another account is already certified with this document number");
      }
      const ops: BatchOperation[] = [
        { type: "put", sublevel: this.tables.identities, key: claimKey(identityKey, userId), value: userId },
      ];
      const previousKey = user.certification ? identityKeyOf(user.certification.identity) : undefined;
      if (previousKey && previousKey !== identityKey) ops.push(...(await this.releaseClaim(previousKey, userId)));
      const wasCertified = user.status === "certified";
      const now = this.clock().toISOString();
      return this.commit(
        userId,
        (record) => ({
          ...user,
          status: "pending_review",
          updatedAt: now,
          certification: {
            identity,
            licence: (record.data[FILES_FIELD] as FileDescriptor[] | undefined)?.[0],
            submittedAt: now,
            recordId: record.header.id,
          },
        }),
        "user.certification.submitted",
        { identity, previousStatus: user.status },
        {
          extra: ops,
          chain: wasCertified ? [{ op: "revoke", address: activeKey(user.signingKeys)! }] : [],
          files: licence ? [licence] : undefined,
        },
      );
    });
  }

  /** A reviewer's decision on a pending certification. */
  async decideCertification(
    userId: string,
    decision: { approved: boolean; reason?: string },
    reviewerId: string,
  ): Promise<User> {
    if (userId === reviewerId) throw forbidden("SELF_REVIEW", "a reviewer cannot decide on their own certification");
    if (!decision.approved && !decision.reason?.trim()) {
      throw badRequest("REASON_REQUIRED", "a rejection needs a reason the applicant can act on");
    }
    const pending = await this.get(userId);
    const identityKey = pending.certification ? identityKeyOf(pending.certification.identity) : "";
    return this.lock.run([userId, `identity:${identityKey}`], async () => {
      const user = await this.get(userId);
      if (
        user.status !== "pending_review" ||
        !user.certification ||
        identityKeyOf(user.certification.identity) !== identityKey
      ) {
        throw conflict("NOT_PENDING_REVIEW", `the account is ${user.status}, not waiting for review`);
      }
      if (decision.approved && (await this.certifiedHolderOf(identityKey, userId))) {
        throw conflict(
          "IDENTITY_TAKEN",
          "another account is already certified with this document number; reject this claim instead",
        );
      }
      // A rejected claim releases the number, so that its real holder can certify with it.
      const release = decision.approved ? [] : await this.releaseClaim(identityKey, userId);
      const now = this.clock().toISOString();
      return this.commit(
        userId,
        (record) => ({
          ...user,
          status: decision.approved ? "certified" : "rejected",
          updatedAt: now,
          certification: {
            ...user.certification!,
            decision: { ...decision, by: reviewerId, at: now, recordId: record.header.id },
          },
        }),
        "user.certification.decided",
        {
          approved: decision.approved,
          reason: decision.reason ?? null,
          reviewer: reviewerId,
          submission: user.certification.recordId,
        },
        {
          extra: release,
          chain: decision.approved ? [{ op: "certify", address: activeKey(user.signingKeys)! }] : [],
        },
      );
    });
  }

  /**
   * The other accounts that claim the same document number as `user`'s
   * certification (pending, or certified), for the reviewer deciding on it.
   */
  async otherClaimants(user: User): Promise<Array<{ userId: string; status: AccountStatus }>> {
    if (!user.certification) return [];
    const claimants = await this.claimantsOf(identityKeyOf(user.certification.identity));
    const others: Array<{ userId: string; status: AccountStatus }> = [];
    for (const id of claimants) {
      if (id === user.id) continue;
      const other = await this.find(id);
      if (other) others.push({ userId: id, status: other.status });
    }
    return others;
  }

  /** The ids of accounts whose submitted certification names this identity. */
  private async claimantsOf(identityKey: string): Promise<string[]> {
    const ids = new Set<string>();
    for await (const id of this.tables.identities.values({ gt: `${identityKey}/`, lt: `${identityKey}/\xff` }))
      ids.add(id);
    // Stores written before claims were kept per account hold one holder under the bare key.
    const legacy = await this.tables.identities.get(identityKey);
    if (legacy) ids.add(legacy);
    return [...ids];
  }

  /** Another account that holds this identity as certified (or certified and then suspended). */
  private async certifiedHolderOf(identityKey: string, exceptUserId: string): Promise<string | undefined> {
    for (const id of await this.claimantsOf(identityKey)) {
      if (id === exceptUserId) continue;
      const holder = await this.find(id);
      if (!holder?.certification || identityKeyOf(holder.certification.identity) !== identityKey) continue;
      const status = holder.status === "suspended" ? holder.statusBeforeSuspension : holder.status;
      if (status === "certified") return id;
    }
    return undefined;
  }

  /** The index writes that drop `userId`'s claim on an identity. */
  private async releaseClaim(identityKey: string, userId: string): Promise<BatchOperation[]> {
    const ops: BatchOperation[] = [
      { type: "del", sublevel: this.tables.identities, key: claimKey(identityKey, userId) },
    ];
    if ((await this.tables.identities.get(identityKey)) === userId)
      ops.push({ type: "del", sublevel: this.tables.identities, key: identityKey });
    return ops;
  }

  /** Suspends or reinstates an account; a suspended account signs in to nothing and trades nothing. */
  async setSuspended(userId: string, suspended: boolean, reason: string, adminId: string): Promise<User> {
    return this.lock.run([userId], async () => {
      const user = await this.get(userId);
      if (suspended === (user.status === "suspended")) {
        throw conflict(suspended ? "ALREADY_SUSPENDED" : "NOT_SUSPENDED", `the account is ${user.status}`);
      }
      const now = this.clock().toISOString();
      const next: User = suspended
        ? {
            ...user,
            status: "suspended",
            statusBeforeSuspension: user.status,
            suspensionReason: reason,
            updatedAt: now,
          }
        : {
            ...user,
            status: user.statusBeforeSuspension ?? "registered",
            statusBeforeSuspension: undefined,
            suspensionReason: undefined,
            updatedAt: now,
          };
      const address = activeKey(user.signingKeys)!;
      const chain: ChainChange[] =
        suspended && user.status === "certified"
          ? [{ op: "revoke", address }]
          : !suspended && next.status === "certified"
            ? [{ op: "certify", address }]
            : [];
      return this.commit(
        userId,
        () => next,
        "user.status.changed",
        { status: next.status, reason, by: adminId },
        { chain },
      );
    });
  }

  async grantRole(userId: string, role: UserRole, certificateNumber: string | undefined, by: string): Promise<User> {
    const needsCertificate = (ROLES_WITH_CERTIFICATE as readonly string[]).includes(role);
    if (needsCertificate && !certificateNumber) {
      throw badRequest("CERTIFICATE_NUMBER_REQUIRED", `the ${role} role needs the holder's certificate number`);
    }
    if (!needsCertificate && certificateNumber) {
      throw badRequest("CERTIFICATE_NUMBER_NOT_EXPECTED", `the ${role} role takes no certificate number`);
    }
    return this.lock.run([userId], async () => {
      const user = await this.get(userId);
      if (user.roles.some((grant) => grant.role === role))
        throw conflict("ROLE_HELD", `the user already holds ${role}`);
      const now = this.clock().toISOString();
      const next: User = {
        ...user,
        roles: [...user.roles, { role, certificateNumber, grantedBy: by, grantedAt: now }],
        updatedAt: now,
      };
      return this.commit(userId, () => next, "user.role.changed", {
        role,
        change: "granted",
        certificateNumber: certificateNumber ?? null,
        by,
      });
    });
  }

  async revokeRole(userId: string, role: UserRole, by: string): Promise<User> {
    return this.lock.run([userId], async () => {
      const user = await this.get(userId);
      if (!user.roles.some((grant) => grant.role === role))
        throw notFound("ROLE_NOT_HELD", `the user does not hold ${role}`);
      const now = this.clock().toISOString();
      const next: User = { ...user, roles: user.roles.filter((grant) => grant.role !== role), updatedAt: now };
      return this.commit(userId, () => next, "user.role.changed", { role, change: "revoked", by });
    });
  }

  /** Replaces the signing key with `address` (its holder proved control by a signed challenge). */
  async rotateSigningKey(userId: string, address: string): Promise<User> {
    const signing = getAddress(address);
    return this.lock.run([userId, `address:${signing.toLowerCase()}`], async () => {
      const user = await this.get(userId);
      if (await this.tables.addresses.get(signing.toLowerCase())) {
        throw conflict("ADDRESS_TAKEN", `the address ${signing} is or was already in use; keys are never reused`);
      }
      const previous = activeKey(user.signingKeys)!;
      const now = this.clock().toISOString();
      const next: User = {
        ...user,
        signingKeys: [
          ...user.signingKeys.map((key) => (key.until ? key : { ...key, until: now })),
          { value: signing, since: now },
        ],
        updatedAt: now,
      };
      const chain: ChainChange[] =
        user.status === "certified"
          ? [
              { op: "revoke", address: previous },
              { op: "certify", address: signing },
            ]
          : [];
      return this.commit(
        userId,
        () => next,
        "user.key.registered",
        { purpose: "signing", key: signing, previous },
        {
          extra: [{ type: "put", sublevel: this.tables.addresses, key: signing.toLowerCase(), value: userId }],
          chain,
        },
      );
    });
  }

  async setEncryptionRecipient(userId: string, recipient: string): Promise<User> {
    if (!AGE_RECIPIENT_PATTERN.test(recipient)) {
      throw badRequest("INVALID_RECIPIENT", "the recipient must be an age X25519 recipient (age1…)");
    }
    return this.lock.run([userId], async () => {
      const user = await this.get(userId);
      const previous = activeKey(user.encryptionKeys);
      if (previous === recipient) throw conflict("KEY_UNCHANGED", "that recipient is already the current one");
      const now = this.clock().toISOString();
      const next: User = {
        ...user,
        encryptionKeys: [
          ...user.encryptionKeys.map((key) => (key.until ? key : { ...key, until: now })),
          { value: recipient, since: now },
        ],
        updatedAt: now,
      };
      return this.commit(userId, () => next, "user.key.registered", {
        purpose: "encryption",
        key: recipient,
        previous: previous ?? null,
      });
    });
  }

  /**
   * Writes the user that `build` makes (it is given the sealed evidence record,
   * for its id and its files' digests) together with that record, the extra
   * index writes and the queued chain changes, in one atomic write.
   */
  private async commit(
    userId: string,
    build: (record: SealedRecord) => User,
    kind: EvidenceKind,
    data: Record<string, unknown>,
    { extra = [], chain = [], files }: { extra?: BatchOperation[]; chain?: ChainChange[]; files?: RecordFile[] } = {},
  ): Promise<User> {
    const written = await this.recorder.write(async (unit) => {
      const record = await unit.seal({ kind, subject: userSubject(userId), data, files });
      const user = build(record);
      unit.add(...extra).put(this.tables.users, userId, user);
      for (const change of chain) {
        unit.put(this.tables.accountOps, pad(this.nextAccountOp++), { ...change, userId, recordId: record.header.id });
      }
      return user;
    });
    this.cache.set(userId, written);
    if (chain.length) for (const listener of this.accountOpListeners) listener();
    return written;
  }
}

/** Checks the document details for the kind of account, and normalises the numbers. */
function normaliseIdentity(type: AccountType, input: IdentityInput, now: Date): Identity {
  if (!IDENTITY_KINDS[type].includes(input.kind)) {
    throw badRequest(
      "IDENTITY_KIND_MISMATCH",
      `a ${type} account certifies with ${IDENTITY_KINDS[type].join(" or ")}, not ${input.kind}`,
    );
  }
  const check = <T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T => {
    if (!result.ok) throw badRequest(result.code, result.message);
    return result.value;
  };
  switch (input.kind) {
    case "resident-id":
      return { ...input, number: check(validateResidentId(input.number, now)) };
    case "passport": {
      const document = check(validatePassport({ number: input.number, country: input.country }));
      return { ...input, number: document.number, country: document.country };
    }
    case "credit-code":
      return { ...input, number: check(validateCreditCode(input.number)) };
    case "foreign-registration": {
      const document = check(validateForeignRegistration({ number: input.number, country: input.country }));
      return { ...input, number: document.number, country: document.country };
    }
  }
}

/** One account's claim on an identity in the index: several accounts may claim one while in review. */
const claimKey = (identityKey: string, userId: string) => `${identityKey}/${userId}`;

/** The duplicate-detection key of an identity: a hash, so the index holds no document numbers. */
function identityKeyOf(identity: Identity): string {
  const country = "country" in identity ? identity.country : "CN";
  return createHash("sha256").update(`${identity.kind}:${country}:${identity.number}`).digest("hex");
}
