import { Decrypter } from "age-encryption";

/**
 * Decrypts delivery materials with one's age identity (`AGE-SECRET-KEY-1…`).
 * Throws when the identity is not among the recipients or the ciphertext was altered.
 *
 * @example
 * const bytes = await decryptDelivery(ciphertext, identity);
 */
export async function decryptDelivery(ciphertext: Uint8Array, identity: string): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return decrypter.decrypt(ciphertext, "uint8array");
}
