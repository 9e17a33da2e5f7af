import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_ORDER_ID_PATTERN, type ServiceOrderView } from "../serviceSchemas";

export interface RateServiceOrderParameters {
  orderId: string;
  score: 1 | 2 | 3 | 4 | 5;
  comment?: string;
}
export type RateServiceOrderReturnType = ServiceOrderView;

/**
 * Rates a completed order once, 1 to 5, as its orderer (POST /v1/service-orders/:id/rating).
 *
 * @example
 * await company.rateServiceOrder({ orderId, score: 5, comment: "Thorough and on time" });
 */
export async function rateServiceOrder(
  client: GatewayClientBase,
  parameters: RateServiceOrderParameters,
): Promise<RateServiceOrderReturnType> {
  assertObject(parameters, "parameters");
  const { orderId, ...body } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  return client.request<RateServiceOrderReturnType>("POST", `/v1/service-orders/${orderId}/rating`, body);
}
