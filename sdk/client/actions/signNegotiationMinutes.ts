import { assertDealId, assertMatches, assertObject, assertTypedDataSigner, type TypedDataSigner } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { MINUTES_ID_PATTERN } from "../../patterns";
import { minutesContentDigest, NEGOTIATION_MINUTES_TYPES } from "../../deal/minutesTypedData";
import type { NegotiationMinutesView } from "../types";

export interface SignNegotiationMinutesParameters {
  dealId: string;
  minutesId: string;
  /** The party's signing key: the one it signs escrow terms with. */
  signer: TypedDataSigner;
}
export type SignNegotiationMinutesReturnType = NegotiationMinutesView;

/**
 * Signs negotiation minutes as EIP-712 `NegotiationMinutes` with the party's own key and hands the signature
 * in (POST /v1/deals/:id/minutes/:minutesId/signatures). Before signing it recomputes the minutes' content
 * digest from what the minutes say, so a party never signs a digest of other text than it read.
 *
 * @example
 * const minutes = await seller.signNegotiationMinutes({ dealId, minutesId, signer: wallet });
 * minutes.status // "signed" once both parties signed
 */
export async function signNegotiationMinutes(
  client: GatewayClientBase,
  parameters: SignNegotiationMinutesParameters,
): Promise<SignNegotiationMinutesReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMatches(parameters.minutesId, MINUTES_ID_PATTERN, "minutesId", "a minutes id (min_ and 16 hex digits)");
  assertTypedDataSigner(parameters.signer, "signer");
  const { minutes } = await client.request<{ minutes: NegotiationMinutesView[] }>(
    "GET",
    `/v1/deals/${parameters.dealId}/minutes`,
  );
  const found = minutes.find((m) => m.id === parameters.minutesId);
  if (!found) throw new InvalidArgumentError(`no minutes ${parameters.minutesId} in deal ${parameters.dealId}`);
  const contentDigest = minutesContentDigest({ ...found, minutesId: found.id });
  if (contentDigest !== found.typedData.message.contentDigest) {
    throw new InvalidArgumentError("the minutes' typed data does not commit to the minutes' text: not signing");
  }
  const signature = await parameters.signer.signTypedData(
    found.typedData.domain,
    NEGOTIATION_MINUTES_TYPES,
    found.typedData.message,
  );
  return client.request<SignNegotiationMinutesReturnType>(
    "POST",
    `/v1/deals/${parameters.dealId}/minutes/${parameters.minutesId}/signatures`,
    { signature },
  );
}
