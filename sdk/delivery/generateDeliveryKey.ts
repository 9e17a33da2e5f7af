import { generateX25519Identity, identityToRecipient } from "age-encryption";

/**
 * A new age key pair for receiving deliveries: keep `identity` secret (it
 * decrypts), register `recipient` with the platform as the account's encryption
 * recipient (it encrypts). X25519, the recipient type the platform registers.
 *
 * @example
 * const { identity, recipient } = await generateDeliveryKey();
 */
export async function generateDeliveryKey(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}
