import { ESCROW_BODY_ACTIONS, arbitratorReplacementData } from "../../escrow/actions";
import { ESCROW_ACTION_TYPES } from "../../escrow/typedData";
import type { GatewayClientBase } from "../createGatewayClient";
import { assertDealId, assertMilestone, assertTypedDataSigner, assertUserId, type TypedDataSigner } from "../assert";
import type { EscrowMilestoneView, EscrowView } from "../types";

export interface ReplaceArbitratorParameters {
  dealId: string;
  milestone: number;
  /** Who becomes the deal's arbitrator: their user id, and the signing address they rule with. */
  arbitrator: { id: string; address: string };
  /** The arbitration body's key, which holds the escrow's `ARBITRATION_ROLE`. */
  signer: TypedDataSigner;
}
export interface ReplaceArbitratorReturnType {
  /** The replacement's evidence record and transaction. */
  move: { recordId: string; transactionHash: string };
  arbitrator: { previousId: string; previous: string; nextId: string; next: string };
  milestone: EscrowMilestoneView;
}

/**
 * The arbitration body replaces the deal's arbitrator, who let the ruling period
 * of `milestone` lapse: reads the milestone's nonce, signs EIP-712
 * `MilestoneAction { action 12, data: the new arbitrator's address }` with the
 * body's key, and hands it to the gateway, which relays it to the escrow
 * (POST /v1/deals/:id/escrow/milestones/:m/arbitrator).
 *
 * @example
 * await institution.replaceArbitrator({ dealId, milestone: 0,
 *   arbitrator: { id: "usr_…", address: "0x…" }, signer: institutionWallet });
 */
export async function replaceArbitrator(
  client: GatewayClientBase,
  parameters: ReplaceArbitratorParameters,
): Promise<ReplaceArbitratorReturnType> {
  const { dealId, milestone, arbitrator, signer } = parameters ?? {};
  assertDealId(dealId);
  assertMilestone(milestone);
  assertUserId(arbitrator?.id, "arbitrator.id");
  assertTypedDataSigner(signer, "signer");
  const data = arbitratorReplacementData(arbitrator.address);
  const escrow = await client.request<EscrowView>("GET", `/v1/deals/${dealId}/escrow`);
  const current = escrow.milestones[milestone];
  if (!current) throw new RangeError(`the deal has ${escrow.milestones.length} milestones, numbered from 0`);
  const signature = await signer.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
    dealId: escrow.chainDealId,
    milestone,
    action: ESCROW_BODY_ACTIONS["replace-arbitrator"].action,
    data,
    release: 0,
    refund: 0,
    nonce: current.nonce,
  });
  return client.request<ReplaceArbitratorReturnType>(
    "POST",
    `/v1/deals/${dealId}/escrow/milestones/${milestone}/arbitrator`,
    { arbitratorId: arbitrator.id, signature },
  );
}
