import { assertDealId, assertFile, assertMatches, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import { LANGUAGE_TAG_PATTERN, THREAD_ID_PATTERN } from "../../patterns";
import type { DealMessageView, FileInput } from "../types";

export interface SendDealMessageParameters {
  dealId: string;
  /** The deal's first thread (`thr_main`) by default. */
  threadId?: string;
  text: string;
  /** The text's language: `zh`, `en`, … */
  language: string;
  /** At most eight files; their SHA-256 digests go into the message's record. */
  files?: FileInput[];
}
export type SendDealMessageReturnType = DealMessageView;

/**
 * Writes in a deal, for its parties, broker and manager (POST /v1/deals/:id/messages). The message is a
 * `negotiation.recorded` record of the deal.
 *
 * @example
 * await seller.sendDealMessage({ dealId, text: "我们可以提供中试线参观", language: "zh" });
 */
export async function sendDealMessage(
  client: GatewayClientBase,
  parameters: SendDealMessageParameters,
): Promise<SendDealMessageReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (parameters.threadId !== undefined) {
    assertMatches(parameters.threadId, THREAD_ID_PATTERN, "threadId", "a thread id (thr_…)");
  }
  assertString(parameters.text, "text", { max: 20_000 });
  assertMatches(parameters.language, LANGUAGE_TAG_PATTERN, "language", "a language tag (zh, en, …)");
  for (const [i, file] of (parameters.files ?? []).entries()) assertFile(file, `files[${i}]`);
  return client.request<SendDealMessageReturnType>("POST", `/v1/deals/${parameters.dealId}/messages`, {
    ...(parameters.threadId && { threadId: parameters.threadId }),
    text: parameters.text,
    language: parameters.language,
    ...(parameters.files && { files: parameters.files.map(fileBody) }),
  });
}
