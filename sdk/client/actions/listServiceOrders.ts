import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { OrderState, ServiceKind, ServiceOrderView } from "../serviceSchemas";

export interface ListServiceOrdersParameters {
  state?: OrderState;
  kind?: ServiceKind;
  /** Only those past their acceptance or delivery deadline (`true`), or only those not. */
  late?: boolean;
  institutionId?: string;
  dealId?: string;
}
export type ListServiceOrdersReturnType = { orders: ServiceOrderView[] };

/**
 * Orders: every one for overseers, else those you placed or serve (GET /v1/service-orders).
 *
 * @example
 * const { orders } = await operator.listServiceOrders({ late: true });
 */
export async function listServiceOrders(
  client: GatewayClientBase,
  parameters: ListServiceOrdersParameters = {},
): Promise<ListServiceOrdersReturnType> {
  assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) search.set(name, String(value));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<ListServiceOrdersReturnType>("GET", `/v1/service-orders${query}`);
}
