import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_ORDER_ID_PATTERN, type ServiceOrderView } from "../serviceSchemas";

export interface DecideServiceOrderParameters {
  orderId: string;
  accepted: boolean;
  /** Required when declining. */
  reason?: string;
}
export type DecideServiceOrderReturnType = ServiceOrderView;

/**
 * Accepts or declines an order, as its institution; declining needs a reason (POST /v1/service-orders/:id/decision).
 *
 * @example
 * await agency.decideServiceOrder({ orderId, accepted: true });
 */
export async function decideServiceOrder(
  client: GatewayClientBase,
  parameters: DecideServiceOrderParameters,
): Promise<DecideServiceOrderReturnType> {
  assertObject(parameters, "parameters");
  const { orderId, ...body } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  return client.request<DecideServiceOrderReturnType>("POST", `/v1/service-orders/${orderId}/decision`, body);
}
