import { createHash } from "node:crypto";
import { verifyMessage } from "ethers";
import { canonicalJson } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { badRequest, notFound, forbidden } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import type { UserService } from "../identity/users";
import { activeKey, type User } from "../identity/types";
import type { BatchOperation } from "../store/database";
import type { MarketRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
/** What an import needs of the listings: publish, read, review (the ListingService, which creates the import). */
interface Listings {
  submit(
    owner: Principal,
    content: ListingContent,
    options: { alongside: (listingId: string) => BatchOperation[] },
  ): Promise<Listing>;
  get(id: string): Promise<Listing>;
  review(reviewer: Principal, id: string, decision: { approved: boolean; reasons: []; note: string }): Promise<Listing>;
}
import { crossFieldProblems, listingSchema } from "./schemas";
import type { ImportBatch, Listing, ListingContent } from "./types";

/** Subject of an import batch's evidence record. */
export const importSubject = (batchId: string) => `import:${batchId}`;

/** Lines sent in one request; the script sends the file in chunks of this size. */
export const IMPORT_CHUNK = 500;
/** Lines published at once within a chunk (they queue on the recorder's group commit). */
const CONCURRENCY = 64;

/** One line of a catalogue file, as the script sends it: its number, its import id and the listing. */
export interface ImportLine {
  line: number;
  importId: string;
  content: unknown;
}

/** What became of a line. */
export type LineOutcome =
  | { line: number; importId: string; status: "valid" | "published" | "approved"; listingId?: string }
  | { line: number; importId: string; status: "already-imported"; listingId: string }
  | { line: number; importId: string; status: "refused"; problems: Array<{ path: string; message: string }> };

/** SHA-256 of a line's listing as canonical JSON (RFC 8785): what a manifest lists and a reviewer approves. */
export function lineDigest(content: unknown): string {
  let text: string;
  try {
    text = canonicalJson(content);
  } catch {
    // Not JSON the canonical form can carry (an integer beyond 2^53): the schema refuses the line anyway.
    text = JSON.stringify(content) ?? "";
  }
  return `0x${createHash("sha256").update(text).digest("hex")}`;
}

/** The batch's id: SHA-256 of the canonical manifest with the user it is imported for. */
export function batchId(asUser: string, manifest: Record<string, string>): string {
  return `0x${createHash("sha256").update(canonicalJson({ asUser, manifest })).digest("hex")}`;
}

/**
 * The text a reviewer signs (EIP-191 `personal_sign`, with their registered
 * signing key) to approve every listing of a batch before it is published.
 *
 * @example
 * await reviewerWallet.signMessage(importApprovalMessage(batchId(asUser, manifest)))
 */
export function importApprovalMessage(id: string): string {
  return `Tech Transfer Ledger: I approve every listing of import batch ${id} for publication.`;
}

/**
 * Importing an existing catalogue for one user (the operator's job when a
 * platform starts, 6.3): every line is checked as `POST /v1/listings` would
 * check it, and published through the listings' `submit`. A batch is
 * opened with the manifest of its lines (import id → digest), recorded as
 * evidence with the reviewer's signature when review is pre-approved; each
 * published line writes its import id in the same atomic write as the listing,
 * so a run resumed after a crash skips what was done and publishes nothing twice.
 */
export class ListingImports {
  private readonly batches;
  private readonly imported;
  private readonly lock = new KeyedLock();

  constructor(
    tables: MarketRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly listings: Listings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.batches = tables.importBatches;
    this.imported = tables.importedLines;
  }

  /** Checks lines without changing anything: every refusal with its line number and reasons. */
  async check(asUser: string, lines: ImportLine[]): Promise<LineOutcome[]> {
    const owner = await this.publisher(asUser);
    return Promise.all(
      lines.map(async (line): Promise<LineOutcome> => {
        const done = await this.imported.get(importKey(asUser, line.importId));
        if (done) return { line: line.line, importId: line.importId, status: "already-imported", listingId: done };
        const parsed = this.parse(owner, line);
        return "problems" in parsed ? parsed : { line: line.line, importId: line.importId, status: "valid" };
      }),
    );
  }

  /**
   * Opens (or, for the same manifest, reopens) a batch. With an approval, the
   * signature must be the reviewer's over {@link importApprovalMessage}.
   */
  async open(
    operator: Principal,
    input: { asUser: string; manifest: Record<string, string>; approval?: { reviewerId: string; signature: string } },
  ): Promise<ImportBatch & { imported: number }> {
    await this.publisher(input.asUser);
    const id = batchId(input.asUser, input.manifest);
    return this.lock.run([id], async () => {
      const existing = await this.batches.get(id);
      if (existing) return { ...existing, imported: await this.countImported(existing) };
      let approval: ImportBatch["approval"];
      if (input.approval) {
        const reviewer = await this.users.find(input.approval.reviewerId);
        if (!reviewer || !reviewer.roles.some((grant) => grant.role === "reviewer"))
          throw forbidden("NOT_A_REVIEWER", "the approval must be signed by an account holding the reviewer role");
        if (reviewer.id === input.asUser)
          throw forbidden("SELF_REVIEW", "a reviewer cannot approve their own listings");
        const address = activeKey(reviewer.signingKeys);
        let signer: string | undefined;
        try {
          signer = verifyMessage(importApprovalMessage(id), input.approval.signature);
        } catch {
          signer = undefined;
        }
        if (!address || signer?.toLowerCase() !== address.toLowerCase())
          throw badRequest(
            "APPROVAL_SIGNATURE_INVALID",
            `the approval is not the reviewer's signature of "${importApprovalMessage(id)}"`,
          );
        approval = { reviewerId: reviewer.id, address, signature: input.approval.signature };
      }
      const createdAt = this.clock().toISOString();
      const batch = await this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "listing.import.batch",
          subject: importSubject(id),
          data: {
            batch: id,
            asUser: input.asUser,
            lines: Object.keys(input.manifest).length,
            operator: operator.id,
            approvedBy: approval?.reviewerId ?? null,
            approverAddress: approval?.address ?? null,
            signature: approval?.signature ?? null,
          },
        });
        const batch: ImportBatch = {
          id,
          asUser: input.asUser,
          manifest: input.manifest,
          approval,
          recordId: record.header.id,
          createdAt,
        };
        unit.put(this.batches, id, batch);
        return batch;
      });
      return { ...batch, imported: 0 };
    });
  }

  /** Publishes lines of an open batch: each as its user's listing, approved at once when the batch was. */
  async publish(id: string, lines: ImportLine[]): Promise<LineOutcome[]> {
    const batch = await this.batches.get(id);
    if (!batch) throw notFound("IMPORT_BATCH_NOT_FOUND", `no import batch ${id}; open it with POST /v1/imports`);
    const owner = await this.publisher(batch.asUser);
    const reviewer = batch.approval && principalOf(await this.users.get(batch.approval.reviewerId));
    const outcomes: LineOutcome[] = new Array(lines.length);
    let next = 0;
    const worker = async () => {
      while (next < lines.length) {
        const i = next++;
        outcomes[i] = await this.publishLine(batch, owner, reviewer, lines[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, lines.length) }, worker));
    return outcomes;
  }

  private async publishLine(
    batch: ImportBatch,
    owner: Principal,
    reviewer: Principal | undefined,
    line: ImportLine,
  ): Promise<LineOutcome> {
    const { importId } = line;
    const expected = Object.hasOwn(batch.manifest, importId) ? batch.manifest[importId] : undefined;
    if (expected === undefined) return refusedLine(line, "importId", "this import id is not in the batch's manifest");
    if (lineDigest(line.content) !== expected)
      return refusedLine(line, "", "the line differs from the one the batch's manifest (and its approval) lists");
    const key = importKey(batch.asUser, importId);
    return this.lock.run([key], async () => {
      let listingId = await this.imported.get(key);
      if (!listingId) {
        const parsed = this.parse(owner, line);
        if ("problems" in parsed) return parsed;
        const listing = await this.listings.submit(owner, parsed.content, {
          alongside: (newId) => [{ type: "put", sublevel: this.imported, key, value: newId }],
        });
        listingId = listing.id;
      }
      // A resumed run also finishes a pre-approval that a crash cut off after publishing.
      if (reviewer) {
        const listing = await this.listings.get(listingId);
        if (listing.status === "submitted") {
          await this.listings.review(reviewer, listingId, {
            approved: true,
            reasons: [],
            note: `pre-approved by ${reviewer.id}'s signature on import batch ${batch.id}`,
          });
          return { line: line.line, importId, status: "approved", listingId };
        }
        return { line: line.line, importId, status: "already-imported", listingId };
      }
      return { line: line.line, importId, status: "published", listingId };
    });
  }

  /** The line's listing as `POST /v1/listings` would take it, or every problem with it. */
  private parse(
    owner: Principal,
    line: ImportLine,
  ): { content: ListingContent } | Extract<LineOutcome, { status: "refused" }> {
    const result = listingSchema.safeParse(line.content);
    if (!result.success)
      return {
        line: line.line,
        importId: line.importId,
        status: "refused",
        problems: result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
      };
    const content = result.data as ListingContent;
    const problem = crossFieldProblems(content);
    if (problem) return refusedLine(line, "", problem);
    const role = content.side === "supply" ? "supplier" : "demander";
    if (!owner.roles.includes(role))
      return refusedLine(line, "side", `the user does not hold the ${role} role a ${content.side} listing needs`);
    return { content };
  }

  /** The user the lines are published for, as a principal; they must be certified. */
  private async publisher(userId: string): Promise<Principal> {
    const user = await this.users.find(userId);
    if (!user) throw notFound("USER_NOT_FOUND", `no user ${userId}`);
    if (user.status !== "certified")
      throw forbidden("NOT_CERTIFIED", `only certified accounts publish; ${userId} is ${user.status}`);
    return principalOf(user);
  }

  private async countImported(batch: ImportBatch): Promise<number> {
    const keys = Object.keys(batch.manifest).map((importId) => importKey(batch.asUser, importId));
    const found = await this.imported.getMany(keys);
    return found.filter((value) => value !== undefined).length;
  }
}

const importKey = (asUser: string, importId: string) => `${asUser}:${importId}`;

const refusedLine = (line: ImportLine, path: string, message: string): Extract<LineOutcome, { status: "refused" }> => ({
  line: line.line,
  importId: line.importId,
  status: "refused",
  problems: [{ path, message }],
});

function principalOf(user: User): Principal {
  return {
    kind: "user",
    id: user.id,
    address: activeKey(user.signingKeys) ?? "",
    roles: user.roles.map((grant) => grant.role),
    certified: user.status === "certified",
  };
}
