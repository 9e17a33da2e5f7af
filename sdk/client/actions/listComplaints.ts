import { assertObject } from "../assert";
import { type ComplaintStatus, type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ListComplaintsParameters {
  status?: ComplaintStatus;
  /** Only those past their deadline (`true`) or not. */
  overdue?: boolean;
}
export type ListComplaintsReturnType = { complaints: ComplaintView[] };

/**
 * Complaints: every one for overseers, else those you filed or that name you (GET /v1/complaints).
 *
 * @example
 * const { complaints } = await operator.listComplaints({ overdue: true });
 */
export async function listComplaints(
  client: GatewayClientBase,
  parameters: ListComplaintsParameters,
): Promise<ListComplaintsReturnType> {
  assertObject(parameters, "parameters");
  const { status, overdue } = parameters;
  const search = new URLSearchParams();
  if (status !== undefined) search.set("status", String(status));
  if (overdue !== undefined) search.set("overdue", String(overdue));
  const query = search.size > 0 ? `?${search}` : "";
  return client.request<ListComplaintsReturnType>("GET", `/v1/complaints${query}`);
}
