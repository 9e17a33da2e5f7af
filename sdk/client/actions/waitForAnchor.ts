import { InvalidArgumentError } from "../../errors";
import { assertObject, assertRecordId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { AnchorTimeoutError, GatewayRequestError } from "../errors";
import type { AnchoredRecordView } from "../types";
import { getRecord } from "./getRecord";

export interface WaitForAnchorParameters {
  /** The record id (a UUID). */
  id: string;
  /** How long to wait, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** How often to ask, in milliseconds (default 500). */
  pollMs?: number;
}
export type WaitForAnchorReturnType = AnchoredRecordView;

/**
 * Waits until a record is anchored on chain in a final block and returns it with
 * its anchor; throws {@link AnchorTimeoutError} after `timeoutMs`, and at once a
 * {@link GatewayRequestError} with code `NOT_ANCHORED` for a record the gateway
 * reports `orphaned` (in no batch and not waiting: it will never be anchored).
 *
 * @example
 * const receipt = await operator.recordEvidence({ kind: "evidence.attested", subject: "deal:2026-0042", data });
 * const { anchor } = await operator.waitForAnchor({ id: receipt.id });
 */
export async function waitForAnchor(
  client: GatewayClientBase,
  parameters: WaitForAnchorParameters,
): Promise<WaitForAnchorReturnType> {
  assertObject(parameters, "parameters");
  const { id, timeoutMs = 60_000, pollMs = 500 } = parameters;
  assertRecordId(id);
  for (const [name, value] of [
    ["timeoutMs", timeoutMs],
    ["pollMs", pollMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new InvalidArgumentError(`${name} must be a number of milliseconds`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await getRecord(client, { id });
    if (record.status === "anchored" && record.anchor) return record as AnchoredRecordView;
    if (record.status === "orphaned") {
      throw new GatewayRequestError({
        status: 409,
        code: "NOT_ANCHORED",
        message: `record ${id} is in no anchoring batch and not waiting for one; it will not be anchored`,
        method: "GET",
        path: `/v1/evidence/${id}`,
      });
    }
    if (Date.now() + pollMs > deadline) throw new AnchorTimeoutError(id, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
