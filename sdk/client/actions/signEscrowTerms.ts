import type { GatewayClientBase } from "../createGatewayClient";
import { assertDealId, assertTypedDataSigner, type TypedDataSigner } from "../assert";
import type { EscrowView } from "../types";

export interface SignEscrowTermsParameters {
  dealId: string;
  /** The party's signing key (the one registered with the account). */
  signer: TypedDataSigner;
}
export type SignEscrowTermsReturnType = EscrowView;

/**
 * Signs the deal's standing escrow terms as EIP-712 `DealTerms` with the
 * party's own key and hands the signature in (POST /v1/deals/:id/terms/signatures).
 * With both parties' signatures the gateway puts the deal on chain; answers the
 * escrow as it then stands (`status` "created" once on chain).
 *
 * @example
 * const escrow = await me.signEscrowTerms({ dealId, signer: wallet });
 */
export async function signEscrowTerms(
  client: GatewayClientBase,
  parameters: SignEscrowTermsParameters,
): Promise<SignEscrowTermsReturnType> {
  assertDealId(parameters?.dealId);
  assertTypedDataSigner(parameters.signer, "signer");
  const escrow = await client.request<EscrowView>("GET", `/v1/deals/${parameters.dealId}/escrow`);
  const { domain, types, message } = escrow.terms.typedData;
  const signature = await parameters.signer.signTypedData(domain, types, message);
  await client.request("POST", `/v1/deals/${parameters.dealId}/terms/signatures`, { signature });
  return client.request<EscrowView>("GET", `/v1/deals/${parameters.dealId}/escrow`);
}
