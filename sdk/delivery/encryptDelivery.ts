import { Encrypter } from "age-encryption";

/**
 * Encrypts delivery materials with age (age-encryption.org/v1) to every given
 * recipient (`age1…`): exactly those the contract names, the demander (whose
 * registered recipient the escrow view shows) and, where the terms say
 * `deliverToArbitrator`, the arbitrator; the gateway refuses a file to any other
 * set. The platform stores and anchors only the ciphertext's digest; it cannot
 * read it. Holds the whole file: for large ones, `encryptDeliveryStream`.
 *
 * @example
 * const sealed = await encryptDelivery(bytes, [parties.demander.recipient]);
 */
export async function encryptDelivery(plaintext: Uint8Array, recipients: string[]): Promise<Uint8Array> {
  if (recipients.length === 0) throw new Error("name at least one age recipient");
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return encrypter.encrypt(plaintext);
}
