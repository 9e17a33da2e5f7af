import { assertDealId, assertObject, assertTypedDataSigner, type TypedDataSigner } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { CONTRACT_SIGNATURE_TYPES } from "../../deal/contractSigning";
import { contractDigest, renderContract } from "../../deal/renderContract";
import type { DealContractView, DealContractVersionView } from "../types";

export interface SignContractParameters {
  dealId: string;
  /** The party's signing key: the one it signs escrow terms with. */
  signer: TypedDataSigner;
}
export type SignContractReturnType = DealContractView;

/**
 * Signs the last version of the deal's contract as EIP-712 `TechnologyContract` with the party's own key
 * (POST /v1/deals/:id/contract/signatures). Before signing it renders the version's fields itself with
 * the SDK's templates and checks that the digest signed is of that text, so a party never signs other
 * text than the contract's.
 *
 * @example
 * const contract = await seller.signContract({ dealId, signer: wallet });
 * contract.status // "signed" once both parties signed
 */
export async function signContract(
  client: GatewayClientBase,
  parameters: SignContractParameters,
): Promise<SignContractReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertTypedDataSigner(parameters.signer, "signer");
  const { dealId } = parameters;
  const contract = await client.request<DealContractView>("GET", `/v1/deals/${dealId}/contract`);
  const last = contract.versions.at(-1)!;
  const version = await client.request<DealContractVersionView>(
    "GET",
    `/v1/deals/${dealId}/contract/versions/${last.version}`,
  );
  const text = renderContract(version.contractType, version.language, version.fields).text;
  const digest = contractDigest(text);
  const message = version.typedData.message as { contractDigest?: string; version?: number };
  if (digest !== message.contractDigest || message.version !== last.version) {
    throw new InvalidArgumentError("the contract's typed data does not commit to the contract's text: not signing");
  }
  const signature = await parameters.signer.signTypedData(
    version.typedData.domain,
    CONTRACT_SIGNATURE_TYPES,
    version.typedData.message,
  );
  return client.request<SignContractReturnType>("POST", `/v1/deals/${dealId}/contract/signatures`, {
    version: last.version,
    signature,
  });
}
