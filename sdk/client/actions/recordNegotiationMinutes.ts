import { assertDealId, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { NegotiationMinutesView } from "../types";

export interface RecordNegotiationMinutesParameters {
  dealId: string;
  /** The session request the minutes answer, if any. */
  sessionId?: string;
  heldAt: string;
  place: string;
  agenda: string[];
  attendees: NegotiationMinutesView["attendees"];
  agreed: string[];
  open: string[];
  nextSteps: string[];
}
export type RecordNegotiationMinutesReturnType = NegotiationMinutesView;

/**
 * Records formal negotiation minutes, for the deal's broker (or manager, or a party): the answer carries the
 * EIP-712 typed data both parties sign with `signNegotiationMinutes` (POST /v1/deals/:id/minutes).
 *
 * @example
 * const minutes = await broker.recordNegotiationMinutes({ dealId, heldAt, place: "昆明", agenda: ["许可范围"],
 *   attendees: [{ name: "王教授", side: "supplier" }, { name: "Ms Smith", side: "demander" }],
 *   agreed: ["exclusive licence in ASEAN"], open: ["royalty rate"], nextSteps: ["site visit in May"] });
 */
export async function recordNegotiationMinutes(
  client: GatewayClientBase,
  parameters: RecordNegotiationMinutesParameters,
): Promise<RecordNegotiationMinutesReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertString(parameters.heldAt, "heldAt", { max: 40 });
  assertString(parameters.place, "place", { max: 500 });
  const { dealId, ...minutes } = parameters;
  return client.request<RecordNegotiationMinutesReturnType>("POST", `/v1/deals/${dealId}/minutes`, minutes);
}
