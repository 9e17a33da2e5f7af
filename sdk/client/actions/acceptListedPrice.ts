import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { LISTING_ID_PATTERN } from "../../patterns";
import type { DealView } from "../types";

export interface AcceptListedPriceParameters {
  listingId: string;
}
export type AcceptListedPriceReturnType = DealView;

/**
 * Accepts a supply listed at a fixed price (挂牌) at that price, for a certified demander: a deal opens with
 * the price agreed (POST /v1/listings/:id/accept). A range or negotiable price answers 409 `PRICE_NOT_FIXED`.
 *
 * @example
 * const deal = await buyer.acceptListedPrice({ listingId });
 * deal.price // { amount: 120000000, currency: "CNY" }
 */
export async function acceptListedPrice(
  client: GatewayClientBase,
  parameters: AcceptListedPriceParameters,
): Promise<AcceptListedPriceReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.listingId, LISTING_ID_PATTERN, "listingId", "a listing id (lst_ and 24 hex digits)");
  return client.request<AcceptListedPriceReturnType>("POST", `/v1/listings/${parameters.listingId}/accept`);
}
