import { assertFile, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { EvaluationReportInput } from "../../deal/evaluation";
import type { FileInput } from "../types";
import { SERVICE_ORDER_ID_PATTERN, type DeliverableType, type ServiceOrderView } from "../serviceSchemas";

export interface DeliverServiceOrderParameters {
  orderId: string;
  summary?: string;
  /** What is delivered, each with its files (hashed and stored; their digests in the record). */
  deliverables?: Array<{ type: DeliverableType; files: FileInput[] }>;
  /** For an evaluation ordered for a deal: the deal's evaluation report, submitted to the deal. */
  evaluation?: { report: EvaluationReportInput; files?: FileInput[] };
}
export type DeliverServiceOrderReturnType = ServiceOrderView;

/**
 * Delivers an accepted order, or delivers again after changes were asked for, as its institution
 * (POST /v1/service-orders/:id/deliveries).
 *
 * @example
 * await agency.deliverServiceOrder({ orderId, deliverables: [{ type: "search_report",
 *   files: [{ name: "search.pdf", mediaType: "application/pdf", bytes }] }] });
 */
export async function deliverServiceOrder(
  client: GatewayClientBase,
  parameters: DeliverServiceOrderParameters,
): Promise<DeliverServiceOrderReturnType> {
  assertObject(parameters, "parameters");
  const { orderId, summary, deliverables, evaluation } = parameters;
  assertMatches(orderId, SERVICE_ORDER_ID_PATTERN, "orderId", "an order id (svc_…)");
  for (const [i, deliverable] of (deliverables ?? []).entries()) {
    for (const [j, file] of deliverable.files.entries()) assertFile(file, `deliverables[${i}].files[${j}]`);
  }
  for (const [i, file] of (evaluation?.files ?? []).entries()) assertFile(file, `evaluation.files[${i}]`);
  return client.request<DeliverServiceOrderReturnType>("POST", `/v1/service-orders/${orderId}/deliveries`, {
    ...(summary !== undefined && { summary }),
    ...(deliverables && { deliverables: deliverables.map((d) => ({ type: d.type, files: d.files.map(fileBody) })) }),
    ...(evaluation && {
      evaluation: { report: evaluation.report, ...(evaluation.files && { files: evaluation.files.map(fileBody) }) },
    }),
  });
}
