import { assertFile, assertMatches, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import { DISPUTE_ID_PATTERN } from "../../patterns";
import type { FileInput, RecordReceipt } from "../types";

export interface SendDisputeMessageParameters {
  disputeId: string;
  text: string;
  /** At most eight documents. */
  files?: FileInput[];
  /** Ids of earlier records the message points to. */
  records?: string[];
}
export type SendDisputeMessageReturnType = { record: RecordReceipt };

/**
 * Adds to a dispute's negotiation (POST /v1/disputes/:id/messages): a message with documents or
 * earlier records, for the parties and the arbitrator. The message is an evidence record of the deal.
 *
 * @example
 * await me.sendDisputeMessage({ disputeId, text: "The feedstock did not meet the specification", files: [report] });
 */
export async function sendDisputeMessage(
  client: GatewayClientBase,
  parameters: SendDisputeMessageParameters,
): Promise<SendDisputeMessageReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(
    parameters.disputeId,
    DISPUTE_ID_PATTERN,
    "disputeId",
    "a dispute id (the deal id and .m and the milestone)",
  );
  assertString(parameters.text, "text", { max: 20_000 });
  for (const [i, file] of (parameters.files ?? []).entries()) assertFile(file, `files[${i}]`);
  return client.request<SendDisputeMessageReturnType>("POST", `/v1/disputes/${parameters.disputeId}/messages`, {
    text: parameters.text,
    ...(parameters.files ? { files: parameters.files.map(fileBody) } : {}),
    ...(parameters.records ? { records: parameters.records } : {}),
  });
}
