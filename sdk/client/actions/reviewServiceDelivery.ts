import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { SERVICE_ORDER_ID_PATTERN, type ServiceOrderView } from "../serviceSchemas";

export interface ReviewServiceDeliveryParameters {
  orderId: string;
  accepted: boolean;
  /** Required when asking for changes. */
  comment?: string;
}
export type ReviewServiceDeliveryReturnType = ServiceOrderView;

/**
 * Accepts the delivery (the order is completed) or asks for changes with a comment, as the orderer (POST /v1/service-orders/:id/review).
 *
 * @example
 * await company.reviewServiceDelivery({ orderId, accepted: false, comment: "Add the EP family" });
 */
export async function reviewServiceDelivery(
  client: GatewayClientBase,
  parameters: ReviewServiceDeliveryParameters,
): Promise<ReviewServiceDeliveryReturnType> {
  assertObject(parameters, "parameters");
  const { orderId, ...body } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  return client.request<ReviewServiceDeliveryReturnType>("POST", `/v1/service-orders/${orderId}/review`, body);
}
