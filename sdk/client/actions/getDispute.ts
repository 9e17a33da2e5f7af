import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { DISPUTE_ID_PATTERN } from "../../patterns";
import type { DisputeView } from "../types";

export interface GetDisputeParameters {
  /** The deal id and the milestone: `deal_….m0`. */
  disputeId: string;
}
export type GetDisputeReturnType = { dispute: DisputeView };

/**
 * A dispute (GET /v1/disputes/:id): its state, proposals, ruling and the records of its steps; for its
 * parties, its arbitrator and overseers.
 *
 * @example
 * const { dispute } = await me.getDispute({ disputeId: `${dealId}.m0` });
 */
export async function getDispute(
  client: GatewayClientBase,
  parameters: GetDisputeParameters,
): Promise<GetDisputeReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.disputeId,
    DISPUTE_ID_PATTERN,
    "disputeId",
    "a dispute id (the deal id and .m and the milestone)",
  );
  return client.request<GetDisputeReturnType>("GET", `/v1/disputes/${parameters.disputeId}`);
}
