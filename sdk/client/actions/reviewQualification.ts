import { assertBoolean, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { OFFERING_ID_PATTERN, type ServiceOfferingView } from "../serviceSchemas";

export interface ReviewQualificationParameters {
  offeringId: string;
  /** The qualification's place in the offering's list, from 0. */
  index: number;
  approved: boolean;
  /** Required when refusing. */
  reason?: string;
}
export type ReviewQualificationReturnType = ServiceOfferingView;

/**
 * Checks one qualification of an offering in review, as a reviewer
 * (POST /v1/service-offerings/:id/qualifications/:index/review): every one passed publishes it.
 *
 * @example
 * await reviewer.reviewQualification({ offeringId, index: 0, approved: true });
 */
export async function reviewQualification(
  client: GatewayClientBase,
  parameters: ReviewQualificationParameters,
): Promise<ReviewQualificationReturnType> {
  assertObject(parameters, "parameters");
  const { offeringId, index, approved, reason } = parameters;
  assertMatches(offeringId, OFFERING_ID_PATTERN, "offeringId", "an offering id (svo_…)");
  if (!Number.isInteger(index) || index < 0) throw new InvalidArgumentError("index must be an integer from 0");
  assertBoolean(approved, "approved");
  return client.request<ReviewQualificationReturnType>(
    "POST",
    `/v1/service-offerings/${offeringId}/qualifications/${index}/review`,
    { approved, ...(reason !== undefined && { reason }) },
  );
}
