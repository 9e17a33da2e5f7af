import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { ListingContent, ListingView } from "../types";

export interface CreateListingParameters {
  /** What the listing says; the gateway checks the whole shape (clause 6.3.2). */
  content: ListingContent;
}
export type CreateListingReturnType = ListingView;

/**
 * Publishes a supply (suppliers) or demand (demanders) listing for review (POST /v1/listings). The
 * listing stays private until a reviewer approves it; every step is an evidence record of the
 * listing's subject.
 *
 * @example
 * const listing = await me.createListing({ content: { side: "demand", language: "en", title: { en: "Recycle PV panels" }, … } });
 */
export async function createListing(
  client: GatewayClientBase,
  parameters: CreateListingParameters,
): Promise<CreateListingReturnType> {
  assertObject(parameters, "parameters");
  assertObject(parameters.content, "content");
  return client.request<CreateListingReturnType>("POST", `/v1/listings`, parameters.content);
}
