import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DisputeDossier } from "../../certificate/dossier";
import { DISPUTE_ID_PATTERN } from "../../patterns";

export interface GetDisputeDossierParameters {
  disputeId: string;
}
export type GetDisputeDossierReturnType = DisputeDossier;

/**
 * A dispute's dossier (GET /v1/disputes/:id/dossier): every record of the deal as certificates in
 * hash-chain order, with its documents, for the arbitrator and the parties. `pendingRecords` counts
 * records not anchored yet; `verifyDossier` checks it without the gateway.
 *
 * @example
 * const dossier = await arbitrator.getDisputeDossier({ disputeId });
 * if (dossier.pendingRecords === 0) await writeFile("dossier.json", JSON.stringify(dossier));
 */
export async function getDisputeDossier(
  client: GatewayClientBase,
  parameters: GetDisputeDossierParameters,
): Promise<GetDisputeDossierReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.disputeId,
    DISPUTE_ID_PATTERN,
    "disputeId",
    "a dispute id (the deal id and .m and the milestone)",
  );
  return client.request<GetDisputeDossierReturnType>("GET", `/v1/disputes/${parameters.disputeId}/dossier`);
}
