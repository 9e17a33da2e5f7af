import { assertDealId, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { RoyaltyStatementView } from "../types";

export interface ReportRoyaltyParameters {
  dealId: string;
  /** The period reported, as calendar dates (`YYYY-MM-DD`, inclusive); each period once. */
  period: { from: string; to: string };
  /** The period's sales (or profit, as the contract says), in minor units. */
  baseAmount: number;
  note?: string;
}
export type ReportRoyaltyReturnType = RoyaltyStatementView;

/**
 * Reports a period's sales or profit under the deal's signed royalty contract, as its licensee (POST
 * /v1/deals/:id/royalty-statements). The gateway works out what is due with `royaltyDue` and keeps the
 * statement as a `royalty.reported` record of the deal.
 *
 * @example
 * const statement = await licensee.reportRoyalty({ dealId, period: { from: "2027-01-01", to: "2027-03-31" },
 *   baseAmount: 123_456_700 });
 * statement.royalty // 4_320_985 at a rate of "0.035"
 */
export async function reportRoyalty(
  client: GatewayClientBase,
  parameters: ReportRoyaltyParameters,
): Promise<ReportRoyaltyReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  const { dealId, period, baseAmount, note } = parameters;
  return client.request<ReportRoyaltyReturnType>("POST", `/v1/deals/${dealId}/royalty-statements`, {
    period,
    baseAmount,
    ...(note !== undefined && { note }),
  });
}
