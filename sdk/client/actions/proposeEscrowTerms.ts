import { assertDealId, assertFile, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { FileInput, ProposedTerms } from "../types";

export interface ProposeEscrowTermsParameters {
  dealId: string;
  /**
   * The technology contract both parties agreed (PDF…). Left out, with currency, total and
   * milestones, when the deal's contract was signed in its workspace: the gateway takes them from it.
   */
  contract?: FileInput;
  currency?: string;
  /** Integer minor units: the sum of the milestones. */
  total?: number;
  milestones?: Array<{ title: string; amount: number; deliverBy: string }>;
  arbitratorId: string;
  inspectionPeriodSeconds: number;
  gracePeriodSeconds?: number;
  maxChangeRounds?: number;
  rulingPeriodSeconds: number;
  appealWindowSeconds?: number;
  /** Deliveries are encrypted to the arbitrator as well as to the demander (the contract says so); default no. */
  deliverToArbitrator?: boolean;
}
export type ProposeEscrowTermsReturnType = ProposedTerms;

/**
 * Proposes a deal's escrow terms (POST /v1/deals/:id/terms), for a party: milestones, periods, the
 * arbitrator and the contract, whose SHA-256 the parties sign. The answer carries the EIP-712 typed
 * data that `signEscrowTerms` signs.
 *
 * @example
 * await buyer.proposeEscrowTerms({ dealId, contract: { name: "contract.pdf", mediaType: "application/pdf", bytes },
 *   currency: "CNY", total: 100_000_000, milestones: [{ title: "Process package", amount: 100_000_000, deliverBy }],
 *   arbitratorId, inspectionPeriodSeconds: 7 * 86400, rulingPeriodSeconds: 14 * 86400 });
 * // A deal whose contract both parties signed with `signContract`: the contract gives the rest.
 * await buyer.proposeEscrowTerms({ dealId, arbitratorId, inspectionPeriodSeconds: 7 * 86400, rulingPeriodSeconds: 14 * 86400 });
 */
export async function proposeEscrowTerms(
  client: GatewayClientBase,
  parameters: ProposeEscrowTermsParameters,
): Promise<ProposeEscrowTermsReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (parameters.contract !== undefined) assertFile(parameters.contract, "contract");
  const { dealId, contract, ...terms } = parameters;
  return client.request<ProposeEscrowTermsReturnType>("POST", `/v1/deals/${dealId}/terms`, {
    ...terms,
    ...(contract && { contract: fileBody(contract) }),
  });
}
