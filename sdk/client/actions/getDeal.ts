import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealView, DealWorkspaceView } from "../types";

export interface GetDealParameters {
  dealId: string;
}
export type GetDealReturnType = DealView & {
  escrow: { status: "none" | "proposed" | "signed" | "created"; termsVersion?: number; link: string };
  /** Where the deal stands in its state machine (docs/DEAL.md); the whole workspace is at `link`. */
  workspace: { state: DealWorkspaceView["state"]; link: string };
};

/**
 * A deal and where its escrow stands (GET /v1/deals/:id): none yet, terms proposed or signed, or on
 * chain (details at `escrow.link`).
 *
 * @example
 * const deal = await me.getDeal({ dealId });
 * if (deal.escrow.status === "none") await me.proposeEscrowTerms({ dealId, … });
 */
export async function getDeal(client: GatewayClientBase, parameters: GetDealParameters): Promise<GetDealReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  return client.request<GetDealReturnType>("GET", `/v1/deals/${parameters.dealId}`);
}
