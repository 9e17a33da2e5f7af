import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_ORDER_ID_PATTERN, type ServiceOrderView } from "../serviceSchemas";

export interface ReassignServiceOrderParameters {
  orderId: string;
  /** The other institution's published offering of the same kind. */
  offeringId: string;
  reason: string;
}
export type ReassignServiceOrderReturnType = ServiceOrderView;

/**
 * Reassigns a declined or late order to another institution's matching offering, with a reason, as the operator (POST /v1/service-orders/:id/reassignment).
 *
 * @example
 * await operator.reassignServiceOrder({ orderId, offeringId, reason: "not accepted in time" });
 */
export async function reassignServiceOrder(
  client: GatewayClientBase,
  parameters: ReassignServiceOrderParameters,
): Promise<ReassignServiceOrderReturnType> {
  assertObject(parameters, "parameters");
  const { orderId, ...body } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  return client.request<ReassignServiceOrderReturnType>("POST", `/v1/service-orders/${orderId}/reassignment`, body);
}
