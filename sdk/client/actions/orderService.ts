import { assertDealId, assertMatches, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { EvaluationKind } from "../../deal/evaluation";
import { OFFERING_ID_PATTERN, type PatentParticulars, type ServiceOrderView } from "../serviceSchemas";

export interface OrderServiceParameters {
  offeringId: string;
  /** What is asked of the institution. */
  brief: string;
  /** The deal it serves, when ordered for one you take part in. */
  dealId?: string;
  /** For an evaluation: which one (the offering must evaluate it). */
  evaluationKind?: EvaluationKind;
  /** For an IP service: the patent's particulars. */
  patent?: Omit<PatentParticulars, "legalEvents"> & { legalEvents?: PatentParticulars["legalEvents"] };
  /** When the institution must answer by (ISO 8601); the gateway's SERVICE_ACCEPT_HOURS from now by default. */
  acceptBy?: string;
}
export type OrderServiceReturnType = ServiceOrderView;

/**
 * Orders a published offering (POST /v1/service-orders). An evaluation ordered for a deal engages the
 * institution as the deal's evaluator; its evaluation report delivers the order.
 *
 * @example
 * const order = await company.orderService({ offeringId, brief: "Value the licence", dealId, evaluationKind: "value" });
 */
export async function orderService(
  client: GatewayClientBase,
  parameters: OrderServiceParameters,
): Promise<OrderServiceReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.offeringId, OFFERING_ID_PATTERN, "offeringId", "an offering id (svo_…)");
  assertString(parameters.brief, "brief");
  if (parameters.dealId !== undefined) assertDealId(parameters.dealId);
  return client.request<OrderServiceReturnType>("POST", "/v1/service-orders", parameters);
}
