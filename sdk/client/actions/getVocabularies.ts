import type { GatewayClientBase } from "../createGatewayClient";

export type GetVocabulariesReturnType = Record<string, unknown>;

/**
 * The codes a client uses in listings (GET /v1/vocabularies): fields, cooperation modes, kinds of
 * result and right, rejection reasons, with names in Chinese and English.
 *
 * @example
 * const { modes } = await client.getVocabularies();
 */
export async function getVocabularies(client: GatewayClientBase): Promise<GetVocabulariesReturnType> {
  return client.request<GetVocabulariesReturnType>("GET", `/v1/vocabularies`);
}
