import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_ORDER_ID_PATTERN, type ServiceOrderView } from "../serviceSchemas";

export interface GetServiceOrderParameters {
  orderId: string;
}
export type GetServiceOrderReturnType = ServiceOrderView;

/**
 * One order with its steps: its orderer, its institution, overseers (GET /v1/service-orders/:id).
 *
 * @example
 * const order = await company.getServiceOrder({ orderId });
 */
export async function getServiceOrder(
  client: GatewayClientBase,
  parameters: GetServiceOrderParameters,
): Promise<GetServiceOrderReturnType> {
  assertObject(parameters, "parameters");
  const { orderId } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  return client.request<GetServiceOrderReturnType>("GET", `/v1/service-orders/${orderId}`);
}
