import { assertDealId, assertObject, assertString } from "../assert";
import { InvalidArgumentError } from "../../errors";
import type { GatewayClientBase } from "../createGatewayClient";

export interface RequestNegotiationSessionParameters {
  dealId: string;
  agenda: string[];
  /** ISO 8601 times the party proposes. */
  proposedTimes?: string[];
  note?: string;
}
export type RequestNegotiationSessionReturnType = {
  id: string;
  dealId: string;
  requestedBy: string;
  agenda: string[];
  proposedTimes: string[];
  note?: string;
  at: string;
  recordId: string;
};

/**
 * Asks the deal's broker to organise a formal negotiation session, for a party (POST /v1/deals/:id/sessions).
 *
 * @example
 * const session = await buyer.requestNegotiationSession({ dealId, agenda: ["licence scope", "royalty"] });
 */
export async function requestNegotiationSession(
  client: GatewayClientBase,
  parameters: RequestNegotiationSessionParameters,
): Promise<RequestNegotiationSessionReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (!Array.isArray(parameters.agenda) || parameters.agenda.length === 0) {
    throw new InvalidArgumentError("agenda must list at least one point");
  }
  parameters.agenda.forEach((point, i) => assertString(point, `agenda[${i}]`, { max: 2000 }));
  return client.request<RequestNegotiationSessionReturnType>("POST", `/v1/deals/${parameters.dealId}/sessions`, {
    agenda: parameters.agenda,
    proposedTimes: parameters.proposedTimes ?? [],
    ...(parameters.note !== undefined && { note: parameters.note }),
  });
}
