import { assertDealId, assertFile, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { FileInput, SiteVisitView } from "../types";

export interface RecordSiteVisitParameters {
  dealId: string;
  visitedAt: string;
  place: string;
  /** Who came, by side. */
  visitors: { supplier: string[]; demander: string[]; others?: string[] };
  examined: string[];
  findings: string;
  /** Photos and documents (at most sixteen): stored, their SHA-256 in the record. */
  files?: FileInput[];
}
export type RecordSiteVisitReturnType = SiteVisitView;

/**
 * Records a site visit (6.6), for a party, the broker or the manager (POST /v1/deals/:id/visits); each
 * party then confirms it with `confirmSiteVisit`.
 *
 * @example
 * const visit = await broker.recordSiteVisit({ dealId, visitedAt, place: "Pilot line, Kunming",
 *   visitors: { supplier: ["王教授"], demander: ["Ms Smith"] }, examined: ["pyrolysis furnace"],
 *   findings: "Silicon recovery 95.2% on the day's batch", files: [photo] });
 */
export async function recordSiteVisit(
  client: GatewayClientBase,
  parameters: RecordSiteVisitParameters,
): Promise<RecordSiteVisitReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertString(parameters.place, "place", { max: 500 });
  assertString(parameters.findings, "findings", { max: 20_000 });
  for (const [i, file] of (parameters.files ?? []).entries()) assertFile(file, `files[${i}]`);
  const { dealId, files, ...visit } = parameters;
  return client.request<RecordSiteVisitReturnType>("POST", `/v1/deals/${dealId}/visits`, {
    ...visit,
    ...(files && { files: files.map(fileBody) }),
  });
}
