import { randomBytes } from "node:crypto";
import { TypedDataEncoder, verifyTypedData } from "ethers";
import { FILES_FIELD, minutesTypedData, type FileDescriptor } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, forbidden, notFound, unprocessable } from "../errors";
import type { EvidenceRecorder, RecordFile } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import type { FileStore } from "../store/files";
import { dealSubject } from "../market/types";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealActor } from "./states";
import {
  MAIN_THREAD,
  type DealMessage,
  type DealWorkspace,
  type NegotiationMinutes,
  type SessionRequest,
} from "./types";
import { assertNotArchived, assertOpen, rolesOf, type DealStanding, type DealWorkspaces } from "./workspace";

export interface MessageInput {
  threadId?: string;
  text: string;
  /** The message's language: `zh`, `en`, … */
  language: string;
  files?: RecordFile[];
}

export interface MinutesInput {
  sessionId?: string;
  heldAt: string;
  place: string;
  agenda: string[];
  attendees: NegotiationMinutes["attendees"];
  agreed: string[];
  open: string[];
  nextSteps: string[];
}

/** Who writes in a deal: its parties, broker and manager (evaluators read the open threads). */
const WRITERS: readonly DealActor[] = ["supplier", "demander", "broker", "manager"];
/** States in which formal negotiation goes on: minutes are recorded and signed. */
const FORMAL_STATES: readonly DealWorkspace["state"][] = ["negotiating", "investigating", "contracting"];

/**
 * Negotiation in a deal (clause 6.5): threads of messages (text in any
 * language, files stored by the recorder), which a party may make confidential
 * to the deal (then only the parties, the broker and the manager read them); a
 * party's request that the broker organise a formal session; and formal
 * minutes both parties sign with their EIP-712 keys. Every step is a
 * `negotiation.recorded` record of the deal.
 */
export class DealNegotiation {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly workspaces: DealWorkspaces,
    private readonly files: FileStore,
    /** The platform chain's id: the minutes' EIP-712 domain. */
    private readonly chainId: string,
  ) {}

  /** Opens a thread (confidential or not) in the deal. */
  async openThread(caller: Principal, dealId: string, input: { title: string; confidential: boolean }) {
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([dealId], async () => {
      const { workspace, actors } = await this.writer(caller, dealId);
      if (input.confidential && !isParty(actors)) {
        throw forbidden("PARTIES_ONLY", "a thread is made confidential by a party of the deal");
      }
      const id = `thr_${randomBytes(8).toString("hex")}`;
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "negotiation.recorded",
          subject: dealSubject(dealId),
          data: {
            type: "thread.opened",
            thread: id,
            title: input.title,
            confidential: input.confidential,
            by: caller.id,
          },
        });
        const thread = {
          id,
          title: input.title,
          confidential: input.confidential,
          createdBy: caller.id,
          createdAt: record.header.recordedAt,
        };
        unit.put(this.tables.workspaces, dealId, { ...workspace, threads: [...workspace.threads, thread] });
        return thread;
      });
    });
  }

  /** A party marks a thread confidential to the deal (or opens it again to every participant). */
  async setConfidential(caller: Principal, dealId: string, threadId: string, confidential: boolean) {
    await this.workspaces.prepare(dealId);
    return this.workspaces.lock.run([dealId], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      if (!isParty(actors)) throw forbidden("PARTIES_ONLY", "a thread's confidentiality is set by a party of the deal");
      assertNotArchived(workspace);
      const thread = threadOf(workspace, threadId);
      if (thread.confidential === confidential) return thread;
      return this.recorder.write(async (unit) => {
        await unit.seal({
          kind: "negotiation.recorded",
          subject: dealSubject(dealId),
          data: { type: "thread.confidentiality", thread: threadId, confidential, by: caller.id },
        });
        const next = { ...thread, confidential };
        unit.put(this.tables.workspaces, dealId, {
          ...workspace,
          threads: workspace.threads.map((t) => (t.id === threadId ? next : t)),
        });
        return next;
      });
    });
  }

  /** A message in a thread of the deal, by a party, the broker or the manager. */
  async post(caller: Principal, dealId: string, input: MessageInput): Promise<DealMessage> {
    const { workspace, actors } = await this.writer(caller, dealId);
    const thread = threadOf(workspace, input.threadId ?? MAIN_THREAD);
    const as = actors.find((actor) => WRITERS.includes(actor))!;
    const id = `msg_${randomBytes(8).toString("hex")}`;
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "negotiation.recorded",
        subject: dealSubject(dealId),
        data: {
          type: "message",
          message: id,
          thread: thread.id,
          confidential: thread.confidential,
          author: caller.id,
          as,
          language: input.language,
          text: input.text,
        },
        files: input.files,
      });
      const at = record.header.recordedAt;
      const message: DealMessage = {
        id,
        dealId,
        threadId: thread.id,
        authorId: caller.id,
        as,
        language: input.language,
        text: input.text,
        files: (record.data[FILES_FIELD] as FileDescriptor[] | undefined) ?? [],
        at,
        recordId: record.header.id,
      };
      unit.put(this.tables.messages, dealItemKey(dealId, `${at}\x00${id}`), message);
      return message;
    });
  }

  /** The messages `viewer` may read, oldest first: every thread they may read, or one of them. */
  async messages(viewer: Principal, dealId: string, threadId?: string): Promise<DealMessage[]> {
    const standing = await this.workspaces.standing(viewer, dealId);
    const readable = new Set(
      standing.workspace.threads.filter((t) => readsThread(viewer, standing, t)).map((t) => t.id),
    );
    if (threadId) {
      threadOf(standing.workspace, threadId);
      if (!readable.has(threadId)) throw confidentialThread();
    }
    const all = await this.tables.itemsOf(this.tables.messages, dealId);
    return all.filter((m) => readable.has(m.threadId) && (!threadId || m.threadId === threadId));
  }

  /** A party asks the deal's broker to organise a formal negotiation session (6.5). */
  async requestSession(
    caller: Principal,
    dealId: string,
    input: { agenda: string[]; proposedTimes: string[]; note?: string },
  ): Promise<SessionRequest> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    if (!isParty(actors)) throw forbidden("PARTIES_ONLY", "a formal session is asked for by a party of the deal");
    assertOpen(workspace);
    if (!workspace.broker.userId) {
      throw conflict("NO_BROKER", "the deal has no broker yet: both parties nominate one, or the operator assigns one");
    }
    const id = `ses_${randomBytes(8).toString("hex")}`;
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "negotiation.recorded",
        subject: dealSubject(dealId),
        data: { type: "session.requested", session: id, by: caller.id, broker: workspace.broker.userId!, ...input },
      });
      const request: SessionRequest = {
        id,
        dealId,
        requestedBy: caller.id,
        ...input,
        at: record.header.recordedAt,
        recordId: record.header.id,
      };
      unit.put(this.tables.sessionRequests, dealItemKey(dealId, id), request);
      return request;
    });
  }

  /** The deal's session requests, for its participants. */
  async sessionRequests(viewer: Principal, dealId: string): Promise<SessionRequest[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.sessionRequests, dealId);
  }

  /** Formal minutes of a session, recorded by the broker (or the manager, or a party) for both parties to sign. */
  async recordMinutes(caller: Principal, dealId: string, input: MinutesInput): Promise<NegotiationMinutes> {
    const { workspace } = await this.writer(caller, dealId);
    if (!FORMAL_STATES.includes(workspace.state)) {
      throw conflict(
        "DEAL_NOT_NEGOTIATING",
        `the deal is ${workspace.state}: minutes are recorded in formal negotiation (${FORMAL_STATES.join(", ")})`,
      );
    }
    if (input.sessionId && !(await this.tables.sessionRequests.get(dealItemKey(dealId, input.sessionId)))) {
      throw notFound("SESSION_NOT_FOUND", `no session request ${input.sessionId} in this deal`);
    }
    const id = `min_${randomBytes(8).toString("hex")}`;
    const content = { dealId, minutesId: id, ...input };
    const typedData = minutesTypedData(this.chainId, content);
    const digest = TypedDataEncoder.hash(typedData.domain, typedData.types, typedData.message);
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({
        kind: "negotiation.recorded",
        subject: dealSubject(dealId),
        data: {
          type: "minutes",
          minutes: id,
          ...input,
          contentDigest: typedData.message.contentDigest,
          digest,
          by: caller.id,
        },
      });
      const minutes: NegotiationMinutes = {
        id,
        ...input,
        dealId,
        contentDigest: typedData.message.contentDigest,
        digest,
        typedData,
        signatures: {},
        status: "drafted",
        recordedBy: caller.id,
        recordId: record.header.id,
      };
      unit.put(this.tables.minutes, dealItemKey(dealId, id), minutes);
      return minutes;
    });
  }

  /** The deal's minutes, for its participants. */
  async minutesOf(viewer: Principal, dealId: string): Promise<NegotiationMinutes[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.minutes, dealId);
  }

  /**
   * A party's EIP-712 signature of the minutes' digest, by the same signing key
   * the party signs escrow terms with: any other key is refused. With both
   * signatures in, the signed minutes are a record of their own.
   */
  async sign(caller: Principal, dealId: string, minutesId: string, signature: string): Promise<NegotiationMinutes> {
    return this.workspaces.lock.run([`${dealId}:${minutesId}`], async () => {
      const { workspace, actors } = await this.workspaces.standing(caller, dealId);
      const side = actors.find((a): a is "supplier" | "demander" => a === "supplier" || a === "demander");
      if (!side) throw forbidden("PARTIES_ONLY", "minutes are signed by the parties of the deal");
      assertNotArchived(workspace);
      const user = await this.users.get(caller.id);
      assertMayTrade(user);
      const minutes = await this.tables.minutes.get(dealItemKey(dealId, minutesId));
      if (!minutes) throw notFound("MINUTES_NOT_FOUND", `no minutes ${minutesId} in this deal`);
      if (minutes.signatures[side]) throw conflict("ALREADY_SIGNED", `the ${side} signed these minutes already`);
      const expected = activeKey(user.signingKeys);
      if (!expected) throw unprocessable("NO_SIGNING_KEY", `the ${side} has no signing key`);
      let signer: string;
      try {
        const { domain, types, message } = minutes.typedData;
        signer = verifyTypedData(domain, types as never, message, signature);
      } catch {
        throw badRequest("SIGNATURE_INVALID", "the signature is not a 65-byte ECDSA signature");
      }
      if (signer.toLowerCase() !== expected.toLowerCase()) {
        throw unprocessable(
          "WRONG_SIGNER",
          `the signature is by ${signer}, not by the ${side}'s signing key ${expected} (or it signs other minutes)`,
        );
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "negotiation.recorded",
          subject: dealSubject(dealId),
          data: { type: "minutes.signature", minutes: minutesId, side, signer, signature, digest: minutes.digest },
        });
        const signatures = { ...minutes.signatures, [side]: { signer, signature, recordId: record.header.id } };
        let next: NegotiationMinutes = { ...minutes, signatures };
        if (signatures.supplier && signatures.demander) {
          const signed = await unit.seal({
            kind: "negotiation.recorded",
            subject: dealSubject(dealId),
            data: {
              type: "minutes.signed",
              minutes: minutesId,
              digest: minutes.digest,
              contentDigest: minutes.contentDigest,
              supplier: signatures.supplier.signer,
              supplierSignature: signatures.supplier.signature,
              demander: signatures.demander.signer,
              demanderSignature: signatures.demander.signature,
            },
          });
          next = { ...next, status: "signed", signedRecordId: signed.header.id };
        }
        unit.put(this.tables.minutes, dealItemKey(dealId, minutesId), next);
        return next;
      });
    });
  }

  /**
   * A file of the deal's messages, site visits or evaluation reports, by its SHA-256, for whoever
   * reads the message (a confidential thread's files stay with its readers) or
   * the visit.
   */
  async file(viewer: Principal, dealId: string, sha256: string): Promise<Buffer> {
    const standing = await this.workspaces.standing(viewer, dealId);
    const readable = new Set(
      standing.workspace.threads.filter((t) => readsThread(viewer, standing, t)).map((t) => t.id),
    );
    const messages = await this.tables.itemsOf(this.tables.messages, dealId);
    const visits = await this.tables.itemsOf(this.tables.visits, dealId);
    const evaluations = await this.tables.itemsOf(this.tables.evaluations, dealId);
    const attached = [
      ...messages.filter((m) => readable.has(m.threadId)).flatMap((m) => m.files),
      ...visits.flatMap((v) => v.files),
      ...evaluations.flatMap((e) => e.files),
    ].some((file) => file.sha256 === sha256);
    const bytes = attached ? await this.files.get(sha256) : undefined;
    if (!bytes) throw notFound("FILE_NOT_FOUND", `no file with SHA-256 ${sha256} that you may read in deal ${dealId}`);
    return bytes;
  }

  /** A participant who writes in the deal (party, broker, manager) while it is open. */
  private async writer(caller: Principal, dealId: string): Promise<DealStanding> {
    const standing = await this.workspaces.standing(caller, dealId);
    if (!standing.actors.some((actor) => WRITERS.includes(actor))) {
      throw forbidden("NOT_A_NEGOTIATOR", "the deal's parties, broker and manager write in it; others read");
    }
    assertOpen(standing.workspace);
    if (isParty(standing.actors)) assertMayTrade(await this.users.get(caller.id));
    return standing;
  }
}

const isParty = (actors: readonly DealActor[]) => actors.includes("supplier") || actors.includes("demander");

/**
 * Whether `viewer` reads `thread`: every participant and overseer reads an open
 * thread; a confidential one only the parties, the broker and the manager.
 */
function readsThread(viewer: Principal, standing: DealStanding, thread: DealWorkspace["threads"][number]): boolean {
  if (!thread.confidential) return true;
  return rolesOf(viewer, standing.workspace).some((role) => role !== "evaluator");
}

function threadOf(workspace: DealWorkspace, threadId: string) {
  const thread = workspace.threads.find((t) => t.id === threadId);
  if (!thread) throw notFound("THREAD_NOT_FOUND", `no thread ${threadId} in this deal`);
  return thread;
}

const confidentialThread = () =>
  forbidden("THREAD_CONFIDENTIAL", "this thread is confidential to the deal's parties, broker and manager");
