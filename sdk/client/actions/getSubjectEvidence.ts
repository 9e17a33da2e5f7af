import { assertObject, assertSubject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { SubjectChain } from "../types";

export interface GetSubjectEvidenceParameters {
  /** The subject, e.g. `deal:2026-0042`, or `user:<id>` for an account's own records. */
  subject: string;
}
export type GetSubjectEvidenceReturnType = SubjectChain;

/**
 * A subject's chain of records in order and whether it is whole
 * (GET /v1/subjects/:id/evidence). Services and auditors read any subject; a
 * user reads the chain of their own account, `user:<id>`.
 *
 * @example
 * const chain = await me.getSubjectEvidence({ subject: `user:${user.id}` });
 * const registration = chain.records.find((record) => record.kind === "user.registered");
 */
export async function getSubjectEvidence(
  client: GatewayClientBase,
  parameters: GetSubjectEvidenceParameters,
): Promise<GetSubjectEvidenceReturnType> {
  assertObject(parameters, "parameters");
  assertSubject(parameters.subject);
  return client.request<SubjectChain>("GET", `/v1/subjects/${encodeURIComponent(parameters.subject)}/evidence`);
}
