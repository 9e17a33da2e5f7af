import { ESCROW_ACTION_TYPES, ESCROW_ACTIONS, fileDigest, statementDigest, ZERO_HASH } from "tech-transfer-ledger/sdk";
import type { EscrowActionName, EscrowActor, EscrowTriggerName } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { EscrowCallArguments, EscrowPort, EscrowSent } from "../chain/escrow";
import { badRequest, conflict, forbidden, unprocessable } from "../errors";
import type { EvidenceRecorder, RecordFile, RecordInput } from "../evidence/recorder";
import type { CheckedDeliveryFile, DeliveryFileInput, EscrowDeliveries } from "./deliveries";
import type { EvidenceService } from "../evidence/service";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import { milestoneKey, type EscrowRepository } from "./repository";
import type { BatchOperation } from "../store/database";
import { KeyedLock } from "../util/keyedLock";
import type { EscrowEvents } from "./events";
import { checkSignedMilestoneAction } from "./signedAction";
import type { EscrowTerms } from "./terms";
import { disputeIdOf, escrowSubject, type EscrowAgreement } from "./types";

export interface MoveInput {
  action: EscrowActionName;
  signature: string;
  /** Files: given inline (bytes), or, for a delivery, streamed in before and named by SHA-256 (`uploaded`). */
  statement?: { text: string; files?: DeliveryFileInput[]; records?: string[] };
  release?: number;
  refund?: number;
}

type Side = EscrowActor;

/** Moves whose statement is a dispute's (its reasons, a ruling, an appeal's grounds): recorded as `dispute.recorded`. */
const DISPUTE_STATEMENTS = new Set<EscrowActionName>(["open-dispute", "rule", "appeal"]);

/**
 * The parties' (and the arbitrator's) moves on a milestone. A move is signed by
 * the mover's own key as EIP-712 `MilestoneAction` over the milestone's move
 * counter; the gateway checks the signature first (to answer a wrong signer
 * clearly), relays it to the escrow, which checks it again and decides, records
 * the move with its statement and documents, and ingests what the escrow emitted.
 */
export class EscrowMoves {
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly escrow: EscrowPort,
    private readonly terms: EscrowTerms,
    private readonly events: EscrowEvents,
    private readonly users: UserService,
    private readonly evidence: Pick<EvidenceService, "find">,
    private readonly deliveries: EscrowDeliveries,
  ) {}

  async move(principal: Principal, dealId: string, milestone: number, input: MoveInput) {
    const agreement = await this.onChain(dealId);
    const side = sideOf(agreement, principal.id);
    if (!side && agreement.arbitratorReplacements?.some((replacement) => replacement.previousId === principal.id)) {
      throw forbidden("ARBITRATOR_REPLACED", "the arbitration body replaced you as this deal's arbitrator");
    }
    if (!side) throw forbidden("NOT_A_PARTY", "only the deal's parties and its arbitrator move its milestones");
    const spec = ESCROW_ACTIONS[input.action];
    if (!(spec.by as readonly Side[]).includes(side)) {
      throw forbidden("WRONG_ACTOR", `only the ${spec.by.join(" or the ")} may ${input.action.replace("-", " ")}`);
    }
    const needsStatement = spec.takes === "statement" || spec.takes === "statement and split";
    const needsSplit = spec.takes === "split" || spec.takes === "statement and split";
    if (needsStatement && !input.statement) {
      throw badRequest("STATEMENT_REQUIRED", `${input.action} carries a statement: { text, files?, records? }`);
    }
    if (needsSplit && (input.release === undefined || input.refund === undefined)) {
      throw badRequest("SPLIT_REQUIRED", `${input.action} names the split: release and refund, in minor units`);
    }
    for (const id of input.statement?.records ?? []) {
      if (!(await this.evidence.find(id))) throw unprocessable("UNKNOWN_RECORD", `no record with id ${id}`);
    }
    const files = await this.statementFiles(agreement, milestone, input);
    // A delivered file's recipients are part of what the supplier signs (and the escrow keeps).
    const digestFiles = files?.map((file) => ({
      name: file.name,
      ...("bytes" in file ? { bytes: file.bytes } : { sha256: file.stored.sha256 }),
      ...("recipients" in file ? { recipients: file.recipients } : {}),
    }));
    const data = needsStatement
      ? statementDigest({ text: input.statement!.text, files: digestFiles, records: input.statement!.records })
      : ZERO_HASH;
    const release = needsSplit ? input.release! : 0;
    const refund = needsSplit ? input.refund! : 0;

    return this.lock.run([`${dealId}:${milestone}`], async () => {
      // A replaced arbitrator's successor signs with its own key, not the one the terms name.
      const expected =
        side === "arbitrator" ? (agreement.arbitratorAddress ?? agreement.message.arbitrator) : agreement.message[side];
      const { message, signer } = await checkSignedMilestoneAction(this.escrow, this.terms.domain, agreement, {
        milestone,
        action: spec.action,
        data,
        release,
        refund,
        signature: input.signature,
        expected,
        expectedName: `the ${side}'s key ${expected} for this move`,
      });
      const moveRecord = (sent?: EscrowSent): RecordInput => ({
        kind: DISPUTE_STATEMENTS.has(input.action) ? "dispute.recorded" : "escrow.move",
        subject: escrowSubject(agreement.dealId),
        data: {
          dealId: agreement.dealId,
          milestone,
          move: input.action,
          by: principal.id,
          side,
          ...(spec.dispute ? { dispute: disputeIdOf(agreement.dealId, milestone) } : {}),
          signedAction: message,
          signer,
          signature: input.signature,
          ...(input.statement
            ? {
                statement: {
                  text: input.statement.text,
                  records: input.statement.records ?? [],
                  // What the digest was computed over, so a verifier recomputes it from the record and its files.
                  ...(input.action === "deliver" && digestFiles?.length
                    ? {
                        files: digestFiles.map((file) => ({
                          name: file.name,
                          sha256: "bytes" in file ? fileDigest(file.bytes) : file.sha256,
                          recipients: file.recipients,
                        })),
                      }
                    : {}),
                },
              }
            : {}),
          ...(sent ? movedBy(sent) : { waitingForOtherParty: true }),
        },
        files: files?.map(asRecordFile),
      });
      const args: EscrowCallArguments = {
        dealId: agreement.chainDealId,
        milestone,
        data,
        release,
        refund,
        signature: input.signature,
      };
      let cancellation: string | undefined;
      if (input.action === "cancel") {
        const both = await this.cancellation(agreement, side, milestone, input.signature, message.nonce);
        if (!both) {
          await this.recorder.record(moveRecord());
          return {
            waitingFor: side === "supplier" ? "demander" : "supplier",
            milestone: await this.milestone(agreement, milestone),
          };
        }
        Object.assign(args, { supplierSignature: both.supplier, demanderSignature: both.demander });
        cancellation = both.key;
      }
      // The waiting signature is spent with the move: dropped in the move record's write.
      const spent = cancellation ? [this.tables.waitingCancellations.del(cancellation)] : [];
      const move = await this.sendAndRecord(input.action, args, async (sent) => moveRecord(sent), spent);
      await this.events.catchUp();
      return { move, milestone: await this.milestone(agreement, milestone) };
    });
  }

  /**
   * The statement's files: a delivery's are checked as age files to the
   * contract's recipients (uploaded ones were checked as they streamed in);
   * other moves' files are documents and may not name an upload.
   */
  private async statementFiles(
    agreement: EscrowAgreement,
    milestone: number,
    input: MoveInput,
  ): Promise<Array<RecordFile | CheckedDeliveryFile> | undefined> {
    const given = input.statement?.files;
    if (!given?.length) return undefined;
    if (input.action === "deliver") return this.deliveries.check(agreement, milestone, given);
    return given.map((file) => {
      if (file.recipients) {
        throw badRequest(
          "RECIPIENTS_ONLY_FOR_DELIVERY",
          "only a delivered file names the recipients it is encrypted to",
        );
      }
      if (!("bytes" in file)) {
        throw badRequest("UPLOAD_ONLY_FOR_DELIVERY", "only a delivery names an uploaded file; give others inline");
      }
      return { name: file.name, mediaType: file.mediaType, bytes: file.bytes };
    });
  }

  /**
   * Both parties' signatures of a cancellation at the milestone's nonce, once the
   * second party signed, with the key the first one waited under; undefined for
   * the first of them, which is kept until the second comes.
   */
  private async cancellation(
    agreement: EscrowAgreement,
    side: Side,
    milestone: number,
    signature: string,
    nonce: number,
  ): Promise<{ supplier: string; demander: string; key: string } | undefined> {
    // Waiting signatures live under the milestone's own key, read and written under its lock.
    const key = milestoneKey(agreement.dealId, milestone);
    const mine = side as "supplier" | "demander";
    const other = mine === "supplier" ? "demander" : "supplier";
    const waitingAll = (await this.tables.waitingCancellations.get(key)) ?? {};
    const waiting = waitingAll[other];
    if (!waiting || waiting.nonce !== nonce) {
      await this.tables.database.write([this.tables.waitingCancellations.put(key, { [mine]: { signature, nonce } })]);
      return undefined;
    }
    return {
      supplier: mine === "supplier" ? signature : waiting.signature,
      demander: mine === "demander" ? signature : waiting.signature,
      key,
    };
  }

  /**
   * Sends a move (or a trigger) and records it: one transition, one record that
   * its events' records name. The escrow events of the transaction wait until
   * the move's record is written, and the record keeps, under the transaction's
   * hash, its id for them (`moveRecordId`); the move's record lists the events.
   */
  private async sendAndRecord(
    name: EscrowActionName | EscrowTriggerName,
    args: EscrowCallArguments,
    record: (sent: EscrowSent) => Promise<RecordInput>,
    alongside: BatchOperation[] = [],
  ): Promise<{ recordId: string; transactionHash: string }> {
    const hold = this.events.holdForMove();
    try {
      const sent = await this.escrow.send(name, args, { onSent: hold.sent });
      const input = await record(sent);
      const recordId = await this.recorder.write(async (unit) => {
        const sealed = await unit.seal(input);
        unit.add(this.tables.moveRecords.put(sent.transactionHash.toLowerCase(), sealed.header.id), ...alongside);
        return sealed.header.id;
      });
      return { recordId, transactionHash: sent.transactionHash };
    } finally {
      hold.release();
    }
  }

  /** Triggers what needs no party's signature: a release after a lapsed inspection, a final ruling, a reissue. */
  async trigger(principal: Principal, dealId: string, milestone: number, what: "release" | "finalize" | "reissue") {
    const agreement = await this.onChain(dealId);
    return this.lock.run([`${dealId}:${milestone}`], async () => {
      const move = await this.sendAndRecord(
        what satisfies EscrowTriggerName,
        { dealId: agreement.chainDealId, milestone },
        // Who asked: on chain the sender is the operator's key, whoever it was.
        async (sent) => ({
          kind: "escrow.move",
          subject: escrowSubject(dealId),
          data: { dealId, milestone, move: what, by: principal.id, ...movedBy(sent) },
        }),
      );
      await this.events.catchUp();
      return { move, milestone: await this.milestone(agreement, milestone) };
    });
  }

  /** The escrow as the parties see it: the terms, and each milestone as the chain holds it now. */
  async view(dealId: string) {
    const agreement = await this.terms.get(dealId);
    const milestones =
      agreement.status === "created"
        ? await Promise.all(agreement.milestones.map((_, index) => this.milestone(agreement, index)))
        : [];
    // Who is who, with the age recipient each receives encrypted deliveries at (SDK `encryptDelivery`).
    const party = async (id: string) => {
      const user = await this.users.find(id);
      return { id, recipient: user ? activeKey(user.encryptionKeys) : undefined };
    };
    return {
      dealId,
      status: agreement.status,
      parties: {
        supplier: await party(agreement.supplierId),
        demander: await party(agreement.demanderId),
        arbitrator: await party(agreement.arbitratorId),
      },
      escrow: this.escrow.address,
      chainDealId: agreement.chainDealId,
      terms: {
        version: agreement.version,
        currency: agreement.currency,
        total: agreement.total,
        milestones: agreement.milestones,
        contract: agreement.contract,
        arbitratorId: agreement.arbitratorId,
        deliverToArbitrator: agreement.deliverToArbitrator ?? false,
        termsDigest: agreement.termsDigest,
        signedBy: Object.keys(agreement.signatures),
        typedData: this.terms.typedData(agreement),
      },
      creation: agreement.creation,
      clock: agreement.status === "created" ? await this.escrow.clock() : undefined,
      milestones,
      actionTypes: {
        domain: this.terms.typedData(agreement).domain,
        types: ESCROW_ACTION_TYPES,
        primaryType: "MilestoneAction",
      },
    };
  }

  private async milestone(agreement: EscrowAgreement, index: number) {
    const m = await this.escrow.milestone(agreement.chainDealId, index);
    const instruction = await this.tables.currentInstructions.get(milestoneKey(agreement.dealId, index));
    const dispute = await this.tables.disputes.get(disputeIdOf(agreement.dealId, index));
    return {
      index,
      title: agreement.milestones[index]?.title,
      state: m.state,
      amount: m.amount,
      locked: m.locked,
      released: m.released,
      refunded: m.refunded,
      /** Escrow clock seconds (see `clock`). */
      deadline: m.deadline,
      timer: m.timer,
      changeRounds: m.changeRounds,
      nonce: m.nonce,
      standingSplit: { release: m.release, refund: m.refund },
      instructionFailed: m.instructionFailed,
      deliveryDigest: m.deliveryDigest,
      instruction,
      dispute: dispute?.id,
    };
  }

  private async onChain(dealId: string): Promise<EscrowAgreement> {
    const agreement = await this.terms.get(dealId);
    if (agreement.status !== "created") {
      throw conflict("ESCROW_NOT_ON_CHAIN", "the escrow is not on chain yet: both parties must sign its terms first");
    }
    return agreement;
  }
}

function sideOf(agreement: EscrowAgreement, userId: string): Side | undefined {
  if (userId === agreement.supplierId) return "supplier";
  if (userId === agreement.demanderId) return "demander";
  if (userId === agreement.arbitratorId) return "arbitrator";
  return undefined;
}

/** A statement's file as the recorder takes it. */
function asRecordFile(file: RecordFile | CheckedDeliveryFile): RecordFile {
  return "bytes" in file
    ? { name: file.name, mediaType: file.mediaType, bytes: file.bytes }
    : { name: file.name, mediaType: file.mediaType, stored: file.stored };
}

/** What a move's record says of the transaction it was sent in: its hash, and the escrow's events in it. */
function movedBy(sent: EscrowSent) {
  return { transactionHash: sent.transactionHash, events: sent.events };
}
