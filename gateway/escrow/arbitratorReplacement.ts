import { ESCROW_BODY_ACTIONS, arbitratorReplacementData } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { EscrowPort } from "../chain/escrow";
import { conflict, forbidden, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import { activeKey } from "../identity/types";
import type { UserService } from "../identity/users";
import { KeyedLock } from "../util/keyedLock";
import type { EscrowEvents } from "./events";
import type { EscrowRepository } from "./repository";
import { checkSignedMilestoneAction } from "./signedAction";
import type { EscrowTerms } from "./terms";
import { disputeIdOf, escrowSubject, type ArbitratorReplacement, type EscrowAgreement } from "./types";

export interface ReplacementInput {
  /** The platform user who becomes the deal's arbitrator. */
  arbitratorId: string;
  /** The arbitration body's EIP-712 signature of the `ReplaceArbitrator` move. */
  signature: string;
}

const SPEC = ESCROW_BODY_ACTIONS["replace-arbitrator"];

/**
 * The arbitration body replaces an arbitrator who let a milestone's ruling period
 * lapse (docs/ESCROW.md). The body's key, which holds the escrow's
 * `ARBITRATION_ROLE`, signs `MilestoneAction { action 12, data: the new
 * arbitrator's address }`; the gateway checks the signature, relays it, and in the
 * move's record's own write makes the new arbitrator the deal's: the dispute, the
 * moves and the deal workspace follow `arbitratorId`. The escrow's
 * `ArbitratorReplaced` event then joins the milestone's dispute (its reducer).
 */
export class ArbitratorReplacements {
  // Per deal. A move by a party may run at the same time under EscrowMoves' own lock:
  // the escrow's nonce refuses whichever of the two comes second.
  private readonly lock = new KeyedLock();

  constructor(
    private readonly tables: EscrowRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly escrow: EscrowPort,
    private readonly terms: EscrowTerms,
    private readonly events: EscrowEvents,
    private readonly users: UserService,
  ) {}

  async replace(principal: Principal, dealId: string, milestone: number, input: ReplacementInput) {
    if (principal.kind !== "user") {
      throw forbidden("NOT_ARBITRATION_BODY", "the arbitration body signs a replacement with its own key");
    }
    const body = await this.users.find(principal.id);
    const bodyKey = body && activeKey(body.signingKeys);
    if (!bodyKey) throw unprocessable("NO_SIGNING_KEY", "the arbitration body has no signing key");
    const next = await this.users.find(input.arbitratorId);
    if (!next || !next.roles.some((grant) => grant.role === "arbitrator")) {
      throw unprocessable("NOT_AN_ARBITRATOR", `${input.arbitratorId} is not an account holding the arbitrator role`);
    }
    assertMayTrade(next);
    const nextAddress = activeKey(next.signingKeys);
    if (!nextAddress) throw unprocessable("NO_SIGNING_KEY", "the new arbitrator has no signing key to rule with");
    const data = arbitratorReplacementData(nextAddress);

    // One replacement of a deal at a time: each writes the deal's agreement, read again here.
    return this.lock.run([dealId], async () => {
      const agreement = await this.terms.get(dealId);
      if (agreement.status !== "created") {
        throw conflict("ESCROW_NOT_ON_CHAIN", "the escrow is not on chain yet: both parties must sign its terms first");
      }
      if ([agreement.supplierId, agreement.demanderId, agreement.arbitratorId].includes(next.id)) {
        throw unprocessable(
          "ARBITRATOR_NOT_NEUTRAL",
          "the new arbitrator may be neither party nor the arbitrator being replaced",
        );
      }
      if (agreement.arbitratorReplacements?.some((replacement) => replacement.previousId === next.id)) {
        throw unprocessable("ARBITRATOR_REPLACED_BEFORE", "an arbitrator replaced on this deal cannot return to it");
      }
      const { message, signer } = await checkSignedMilestoneAction(this.escrow, this.terms.domain, agreement, {
        milestone,
        action: SPEC.action,
        data,
        release: 0,
        refund: 0,
        signature: input.signature,
        expected: bodyKey,
        expectedName: `the arbitration body's key ${bodyKey}`,
      });
      const previous = agreement.arbitratorAddress ?? agreement.message.arbitrator;
      const hold = this.events.holdForMove();
      let recorded: { recordId: string; transactionHash: string };
      try {
        const sent = await this.escrow.send(
          "replace-arbitrator",
          { dealId: agreement.chainDealId, milestone, arbitrator: nextAddress, signature: input.signature },
          { onSent: hold.sent },
        );
        const at = new Date().toISOString();
        const recordId = await this.recorder.write(async (unit) => {
          const sealed = await unit.seal({
            kind: "dispute.recorded",
            subject: escrowSubject(dealId),
            data: {
              dealId,
              milestone,
              move: "replace-arbitrator",
              dispute: disputeIdOf(dealId, milestone),
              by: principal.id,
              side: "arbitration body",
              arbitrator: { previousId: agreement.arbitratorId, previous, nextId: next.id, next: nextAddress },
              signedAction: message,
              signer,
              signature: input.signature,
              transactionHash: sent.transactionHash,
              events: sent.events,
            },
          });
          const replacement: ArbitratorReplacement = {
            milestone,
            previousId: agreement.arbitratorId,
            previous,
            nextId: next.id,
            next: nextAddress,
            byId: principal.id,
            at,
            recordId: sealed.header.id,
            transactionHash: sent.transactionHash,
          };
          const replaced: EscrowAgreement = {
            ...agreement,
            arbitratorId: next.id,
            arbitratorAddress: nextAddress,
            arbitratorReplacements: [...(agreement.arbitratorReplacements ?? []), replacement],
          };
          unit.add(this.tables.moveRecords.put(sent.transactionHash.toLowerCase(), sealed.header.id));
          unit.put(this.tables.escrows, dealId, replaced);
          return sealed.header.id;
        });
        recorded = { recordId, transactionHash: sent.transactionHash };
      } finally {
        hold.release();
      }
      await this.events.catchUp();
      return {
        move: recorded,
        arbitrator: { previousId: agreement.arbitratorId, previous, nextId: next.id, next: nextAddress },
        milestone: await this.escrow.milestone(agreement.chainDealId, milestone),
      };
    });
  }
}
