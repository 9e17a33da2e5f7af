import { verifyTypedData } from "ethers";
import {
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  MILESTONE_STATES,
  statementDigest,
  ZERO_HASH,
  type EscrowActionName,
} from "../../sdk";
import type { Principal } from "../auth/roles";
import type { ChainClient } from "../chain/client";
import { badRequest, conflict, GatewayError, notFound } from "../errors";
import type { EvidenceRecorder, RecordFile } from "../evidence/recorder";
import type { EvidenceService } from "../evidence/service";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import { milestoneKey, type EscrowRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import { sendEscrowCall } from "./chainCalls";
import type { EscrowEvents } from "./events";
import type { EscrowTerms } from "./terms";
import { disputeIdOf, escrowSubject, type EscrowAgreement } from "./types";

const forbidden = (code: string, message: string) => new GatewayError(403, code, message);
const unprocessable = (code: string, message: string) => new GatewayError(422, code, message);

export interface MoveInput {
  action: EscrowActionName;
  signature: string;
  statement?: { text: string; files?: RecordFile[]; records?: string[] };
  release?: number;
  refund?: number;
}

type Side = "supplier" | "demander" | "arbitrator";

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
    private readonly chain: ChainClient,
    private readonly terms: EscrowTerms,
    private readonly events: EscrowEvents,
    private readonly users: UserService,
    private readonly evidence: Pick<EvidenceService, "find">,
  ) {}

  async move(principal: Principal, dealId: string, milestone: number, input: MoveInput) {
    const agreement = await this.onChain(dealId);
    const side = sideOf(agreement, principal.id);
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
    const data = needsStatement
      ? statementDigest({
          text: input.statement!.text,
          files: input.statement!.files?.map((file) => ({ name: file.name, bytes: file.bytes })),
          records: input.statement!.records,
        })
      : ZERO_HASH;
    const release = needsSplit ? input.release! : 0;
    const refund = needsSplit ? input.refund! : 0;

    return this.lock.run([`${dealId}:${milestone}`], async () => {
      const state = await this.chain.escrow.milestoneOf(agreement.chainDealId, milestone);
      if (Number(state.state) === 0) {
        throw notFound(
          "MILESTONE_NOT_FOUND",
          `the deal has ${agreement.milestones.length} milestones, numbered from 0`,
        );
      }
      const message = {
        dealId: agreement.chainDealId,
        milestone,
        action: spec.action,
        data,
        release,
        refund,
        nonce: Number(state.nonce),
      };
      const expected = agreement.message[side];
      let signer: string;
      try {
        signer = verifyTypedData(this.terms.domain, ESCROW_ACTION_TYPES, message, input.signature);
      } catch {
        throw unprocessable("SIGNATURE_INVALID", "the signature is not a 65-byte ECDSA signature");
      }
      if (signer.toLowerCase() !== expected.toLowerCase()) {
        throw unprocessable(
          "WRONG_SIGNER",
          `the signature does not recover to the ${side}'s key ${expected} for this move: sign MilestoneAction ` +
            `{ action ${spec.action}, data ${data}, release ${release}, refund ${refund}, nonce ${message.nonce} } (GET /v1/deals/${dealId}/escrow)`,
        );
      }
      const transactionHash = await this.relay(agreement, side, milestone, input, message);
      if (transactionHash === undefined) {
        await this.recordMove(agreement, principal, side, milestone, input, message, signer, "");
        return {
          waitingFor: side === "supplier" ? "demander" : "supplier",
          milestone: await this.milestone(agreement, milestone),
        };
      }
      const move = await this.recordMove(
        agreement,
        principal,
        side,
        milestone,
        input,
        message,
        signer,
        transactionHash,
      );
      await this.events.catchUp();
      return { move, milestone: await this.milestone(agreement, milestone) };
    });
  }

  /** Sends the move; undefined for the first of two cancellation signatures (kept until the second). */
  private async relay(
    agreement: EscrowAgreement,
    side: Side,
    milestone: number,
    input: MoveInput,
    m: { dealId: string; data: string; release: number; refund: number; nonce: number },
  ): Promise<string | undefined> {
    const escrow = this.chain.escrow;
    const sig = input.signature;
    const id = m.dealId;
    const call = (
      simulate: () => Promise<unknown>,
      send: (o: { gasPrice: bigint; type: number }) => ReturnType<typeof escrow.deliver>,
    ) => sendEscrowCall(this.chain, { simulate, send }).then((receipt) => receipt.hash);
    switch (input.action) {
      case "deliver":
        return call(
          () => escrow.deliver.staticCall(id, milestone, m.data, sig),
          (o) => escrow.deliver(id, milestone, m.data, sig, o),
        );
      case "accept":
        return call(
          () => escrow.acceptDelivery.staticCall(id, milestone, sig),
          (o) => escrow.acceptDelivery(id, milestone, sig, o),
        );
      case "request-changes":
        return call(
          () => escrow.requestChanges.staticCall(id, milestone, m.data, sig),
          (o) => escrow.requestChanges(id, milestone, m.data, sig, o),
        );
      case "open-dispute":
        return call(
          () => escrow.openDispute.staticCall(id, milestone, m.data, sig),
          (o) => escrow.openDispute(id, milestone, m.data, sig, o),
        );
      case "claim-refund":
        return call(
          () => escrow.claimRefund.staticCall(id, milestone, sig),
          (o) => escrow.claimRefund(id, milestone, sig, o),
        );
      case "propose-settlement":
        return call(
          () => escrow.proposeSettlement.staticCall(id, milestone, m.release, m.refund, sig),
          (o) => escrow.proposeSettlement(id, milestone, m.release, m.refund, sig, o),
        );
      case "accept-settlement":
        return call(
          () => escrow.acceptSettlement.staticCall(id, milestone, m.release, m.refund, sig),
          (o) => escrow.acceptSettlement(id, milestone, m.release, m.refund, sig, o),
        );
      case "escalate":
        return call(
          () => escrow.escalate.staticCall(id, milestone, sig),
          (o) => escrow.escalate(id, milestone, sig, o),
        );
      case "rule":
        return call(
          () => escrow.rule.staticCall(id, milestone, m.release, m.refund, m.data, sig),
          (o) => escrow.rule(id, milestone, m.release, m.refund, m.data, sig, o),
        );
      case "appeal":
        return call(
          () => escrow.appeal.staticCall(id, milestone, m.data, sig),
          (o) => escrow.appeal(id, milestone, m.data, sig, o),
        );
      case "cancel": {
        // Waiting signatures live under the milestone's own key, read and written under its lock.
        const key = milestoneKey(agreement.dealId, milestone);
        const mine = side as "supplier" | "demander";
        const other = mine === "supplier" ? "demander" : "supplier";
        const waitingAll = (await this.tables.waitingCancellations.get(key)) ?? {};
        const waiting = waitingAll[other];
        if (!waiting || waiting.nonce !== m.nonce) {
          await this.tables.database.write([
            this.tables.waitingCancellations.put(key, { [mine]: { signature: sig, nonce: m.nonce } }),
          ]);
          return undefined;
        }
        const supplierSig = mine === "supplier" ? sig : waiting.signature;
        const demanderSig = mine === "demander" ? sig : waiting.signature;
        const hash = await call(
          () => escrow.cancelMilestone.staticCall(id, milestone, supplierSig, demanderSig),
          (o) => escrow.cancelMilestone(id, milestone, supplierSig, demanderSig, o),
        );
        await this.tables.database.write([this.tables.waitingCancellations.del(key)]);
        return hash;
      }
    }
  }

  private async recordMove(
    agreement: EscrowAgreement,
    principal: Principal,
    side: Side,
    milestone: number,
    input: MoveInput,
    message: { action: number; data: string; release: number; refund: number; nonce: number },
    signer: string,
    transactionHash: string,
  ) {
    const receipt = await this.recorder.record({
      kind:
        input.action === "open-dispute" || input.action === "rule" || input.action === "appeal"
          ? "dispute.recorded"
          : "escrow.move",
      subject: escrowSubject(agreement.dealId),
      data: {
        dealId: agreement.dealId,
        milestone,
        move: input.action,
        by: principal.id,
        side,
        ...(input.action.match(/dispute|settlement|escalate|rule|appeal/)
          ? { dispute: disputeIdOf(agreement.dealId, milestone) }
          : {}),
        signedAction: message,
        signer,
        signature: input.signature,
        ...(input.statement
          ? { statement: { text: input.statement.text, records: input.statement.records ?? [] } }
          : {}),
        ...(transactionHash ? { transactionHash } : { waitingForOtherParty: true }),
      },
      files: input.statement?.files,
    });
    return { recordId: receipt.id, transactionHash: transactionHash || undefined };
  }

  /** Triggers what needs no party's signature: a release after a lapsed inspection, a final ruling, a reissue. */
  async trigger(principal: Principal, dealId: string, milestone: number, what: "release" | "finalize" | "reissue") {
    const agreement = await this.onChain(dealId);
    const escrow = this.chain.escrow;
    const id = agreement.chainDealId;
    return this.lock.run([`${dealId}:${milestone}`], async () => {
      const receipt = await sendEscrowCall(this.chain, {
        simulate: () =>
          what === "release"
            ? escrow.releaseAfterInspection.staticCall(id, milestone)
            : what === "finalize"
              ? escrow.finalizeRuling.staticCall(id, milestone)
              : escrow.reissueInstruction.staticCall(id, milestone),
        send: (o) =>
          what === "release"
            ? escrow.releaseAfterInspection(id, milestone, o)
            : what === "finalize"
              ? escrow.finalizeRuling(id, milestone, o)
              : escrow.reissueInstruction(id, milestone, o),
      });
      // Who asked: on chain the sender is the operator's key, whoever it was.
      const record = await this.recorder.record({
        kind: "escrow.move",
        subject: escrowSubject(dealId),
        data: { dealId, milestone, move: what, by: principal.id, transactionHash: receipt.hash },
      });
      await this.events.catchUp();
      return {
        move: { recordId: record.id, transactionHash: receipt.hash },
        milestone: await this.milestone(agreement, milestone),
      };
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
      escrow: this.chain.settings.escrowAddress,
      chainDealId: agreement.chainDealId,
      terms: {
        version: agreement.version,
        currency: agreement.currency,
        total: agreement.total,
        milestones: agreement.milestones,
        contract: agreement.contract,
        arbitratorId: agreement.arbitratorId,
        termsDigest: agreement.termsDigest,
        signedBy: Object.keys(agreement.signatures),
        typedData: this.terms.typedData(agreement),
      },
      creation: agreement.creation,
      clock: agreement.status === "created" ? Number(await this.chain.escrow.clock()) : undefined,
      milestones,
      actionTypes: {
        domain: this.terms.typedData(agreement).domain,
        types: ESCROW_ACTION_TYPES,
        primaryType: "MilestoneAction",
      },
    };
  }

  private async milestone(agreement: EscrowAgreement, index: number) {
    const m = await this.chain.escrow.milestoneOf(agreement.chainDealId, index);
    const instruction = await this.tables.currentInstructions.get(milestoneKey(agreement.dealId, index));
    const dispute = await this.tables.disputes.get(disputeIdOf(agreement.dealId, index));
    return {
      index,
      title: agreement.milestones[index]?.title,
      state: MILESTONE_STATES[Number(m.state)],
      amount: Number(m.amount),
      locked: Number(m.locked),
      released: Number(m.released),
      refunded: Number(m.refunded),
      /** Escrow clock seconds (see `clock`). */
      deadline: Number(m.deadline),
      timer: Number(m.timer),
      changeRounds: Number(m.changeRounds),
      nonce: Number(m.nonce),
      standingSplit: { release: Number(m.release), refund: Number(m.refund) },
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
