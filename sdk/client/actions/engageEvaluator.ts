import { assertDealId, assertObject, assertOneOf, assertUserId } from "../assert";
import { InvalidArgumentError } from "../../errors";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

const EVALUATION_KINDS = ["process", "benefit", "value", "patent", "financing"] as const;

export interface EngageEvaluatorParameters {
  dealId: string;
  /** A certified account with the evaluator role. */
  userId: string;
  /** The kinds of evaluation (6.6): process, benefit, value, patent, financing. */
  kinds: Array<(typeof EVALUATION_KINDS)[number]>;
}
export type EngageEvaluatorReturnType = DealWorkspaceView;

/**
 * Engages an evaluator for the deal, for a party (POST /v1/deals/:id/evaluators); the evaluator then reads
 * the deal's workspace and open threads and submits reports for the kinds engaged.
 *
 * @example
 * await buyer.engageEvaluator({ dealId, userId: evaluatorId, kinds: ["value"] });
 */
export async function engageEvaluator(
  client: GatewayClientBase,
  parameters: EngageEvaluatorParameters,
): Promise<EngageEvaluatorReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertUserId(parameters.userId);
  if (!Array.isArray(parameters.kinds) || parameters.kinds.length === 0) {
    throw new InvalidArgumentError("kinds must list at least one kind of evaluation");
  }
  parameters.kinds.forEach((kind, i) => assertOneOf(kind, EVALUATION_KINDS, `kinds[${i}]`));
  return client.request<EngageEvaluatorReturnType>("POST", `/v1/deals/${parameters.dealId}/evaluators`, {
    userId: parameters.userId,
    kinds: parameters.kinds,
  });
}
