import {
  assertAgeRecipient,
  assertNames,
  assertObject,
  assertOneOf,
  assertSigner,
  type MessageSigner,
} from "../assert";
import { signChallenge } from "../challenge";
import type { GatewayClient, GatewayClientBase } from "../createGatewayClient";
import { ACCOUNT_TYPES, type AccountType, type Session } from "../types";

export interface RegisterParameters {
  /** The key the account will sign with; it signs the registration challenge. */
  signer: MessageSigner;
  type: AccountType;
  /** Names by language tag, one to eight: `{ zh: "云南光伏科技有限公司", en: "Yunnan PV Technology Co., Ltd." }`. */
  names: Record<string, string>;
  /** The age X25519 recipient (`age1…`) deliveries to the account are encrypted to. */
  encryptionRecipient: string;
}
export type RegisterReturnType = Session & {
  /** A client that sends the new session's token. */
  client: GatewayClient;
};

/**
 * Opens an account for the signer's address (POST /v1/users) and signs in:
 * the address becomes the account's signing key.
 *
 * @example
 * const wallet = Wallet.createRandom();
 * const { client: me, user } = await client.register({
 *   signer: wallet,
 *   type: "individual",
 *   names: { zh: "王芳", en: "Wang Fang" },
 *   encryptionRecipient: "age1…",
 * });
 */
export async function register(client: GatewayClientBase, parameters: RegisterParameters): Promise<RegisterReturnType> {
  assertObject(parameters, "parameters");
  const { signer, type, names, encryptionRecipient } = parameters;
  assertSigner(signer, "signer");
  assertOneOf(type, ACCOUNT_TYPES, "type");
  assertNames(names);
  assertAgeRecipient(encryptionRecipient, "encryptionRecipient");
  const { message, signature } = await signChallenge(client, signer);
  const session = await client.request<Session>("POST", "/v1/users", {
    type,
    names,
    encryptionRecipient,
    message,
    signature,
  });
  return { ...session, client: client.withToken(session.token) };
}
