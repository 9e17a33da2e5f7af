import { assertDealId, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

export interface MoveDealParameters {
  dealId: string;
  /** A move of the deal's state machine: `begin_negotiation`, `begin_contracting`, `cancel`, … (GET /v1/deal-states). */
  move: string;
  reason?: string;
}
export type MoveDealReturnType = DealWorkspaceView;

/**
 * Moves a deal in its state machine (POST /v1/deals/:id/moves). A move the deal's state does not allow is
 * refused with 409 `DEAL_MOVE_NOT_ALLOWED`, one the caller may not make with 403 `DEAL_MOVE_NOT_YOURS`.
 *
 * @example
 * await buyer.moveDeal({ dealId, move: "begin_negotiation" });
 */
export async function moveDeal(client: GatewayClientBase, parameters: MoveDealParameters): Promise<MoveDealReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertString(parameters.move, "move", { max: 40 });
  if (parameters.reason !== undefined) assertString(parameters.reason, "reason", { max: 2000 });
  return client.request<MoveDealReturnType>("POST", `/v1/deals/${parameters.dealId}/moves`, {
    move: parameters.move,
    ...(parameters.reason !== undefined && { reason: parameters.reason }),
  });
}
