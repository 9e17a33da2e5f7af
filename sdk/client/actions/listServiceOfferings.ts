import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { OfferingState, ServiceKind, ServiceOfferingView } from "../serviceSchemas";

export interface ListServiceOfferingsParameters {
  kind?: ServiceKind;
  institutionId?: string;
  state?: OfferingState;
  /** Words looked for in the title and description. */
  q?: string;
}
export type ListServiceOfferingsReturnType = { offerings: ServiceOfferingView[] };

/**
 * Searches the offerings you may read: published ones, your own, every one for staff (GET /v1/service-offerings).
 *
 * @example
 * const { offerings } = await company.listServiceOfferings({ kind: "evaluation", q: "光伏" });
 */
export async function listServiceOfferings(
  client: GatewayClientBase,
  parameters: ListServiceOfferingsParameters = {},
): Promise<ListServiceOfferingsReturnType> {
  assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) search.set(name, String(value));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<ListServiceOfferingsReturnType>("GET", `/v1/service-offerings${query}`);
}
