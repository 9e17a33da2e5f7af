import { assertObject, assertRecordId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { RecordView } from "../types";

export interface GetRecordParameters {
  /** The record id (a UUID). */
  id: string;
}
export type GetRecordReturnType = RecordView;

/**
 * A record's header, field names, commitment and, once anchored, where
 * (GET /v1/evidence/:id); never its values. Services and auditors read any
 * record, a user only those about their own account.
 *
 * @example
 * const record = await client.getRecord({ id: receipt.id });
 * console.log(record.status, record.anchor?.blockNumber);
 */
export async function getRecord(
  client: GatewayClientBase,
  parameters: GetRecordParameters,
): Promise<GetRecordReturnType> {
  assertObject(parameters, "parameters");
  assertRecordId(parameters.id);
  return client.request<RecordView>("GET", `/v1/evidence/${parameters.id}`);
}
