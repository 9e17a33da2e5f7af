import { InvalidArgumentError } from "../errors";
import { AGE_CHUNK_SIZE, AGE_PAYLOAD_NONCE_SIZE, AGE_VERSION_LINE, encodeRawBase64 } from "./ageHeader";
import { ageRecipientKey } from "./ageRecipient";

type NodeCrypto = typeof import("node:crypto");

/**
 * Node's crypto, loaded when first used: the SDK is also bundled for browsers
 * (the /verify page), where this module is never called and must not fail to load.
 */
function nodeCrypto(): NodeCrypto {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("node:crypto") as NodeCrypto;
}

const X25519_INFO = "age-encryption.org/v1/X25519";

/** How much sealed output is gathered before it is handed on (plus at most one input piece's worth). */
const OUTPUT_BATCH_BYTES = 1024 * 1024;

/**
 * Encrypts a stream to age recipients (`age1…`), writing age v1 (c2sp.org/age)
 * that the `age` CLI, `decryptDelivery` and any age implementation decrypt. It
 * holds about a megabyte at a time (sealed 64 KiB chunks are handed on in
 * batches of about 1 MiB), so a file of any size encrypts in flat memory, and it runs on Node's native X25519, HKDF, HMAC and ChaCha20-Poly1305
 * (several times the throughput of a portable JavaScript cipher). Node only.
 *
 * What it writes: the header (one X25519 stanza per recipient: a fresh ephemeral
 * share, and the 16-byte file key wrapped under HKDF(shared secret, share ‖ key,
 * "age-encryption.org/v1/X25519"); then the header MAC, HMAC-SHA-256 under
 * HKDF(file key, "", "header")), a 16-byte nonce, and the payload: STREAM with
 * ChaCha20-Poly1305 under HKDF(file key, nonce, "payload"), 64 KiB chunks, the
 * 12-byte chunk nonce an 11-byte big-endian counter and a last-chunk flag.
 *
 * @example
 * await pipeline(createReadStream("package.zip"), (source) => encryptDeliveryStream(source, [demander]), createWriteStream("package.zip.age"));
 */
export async function* encryptDeliveryStream(
  source: AsyncIterable<Uint8Array>,
  recipients: readonly string[],
): AsyncGenerator<Uint8Array> {
  if (recipients.length === 0) throw new InvalidArgumentError("name at least one age recipient");
  const crypto = nodeCrypto();
  const keys = recipients.map(ageRecipientKey);
  const fileKey = crypto.randomBytes(16);

  let header = `${AGE_VERSION_LINE}\n`;
  for (const key of keys) {
    const { share, body } = wrapFileKey(crypto, fileKey, key);
    header += `-> X25519 ${encodeRawBase64(share)}\n${bodyLines(encodeRawBase64(body))}`;
  }
  header += "---";
  const macKey = hkdf(crypto, fileKey, new Uint8Array(0), "header");
  const mac = crypto.createHmac("sha256", macKey).update(header, "latin1").digest();
  yield Buffer.from(`${header} ${encodeRawBase64(mac)}\n`, "latin1");

  const nonce = crypto.randomBytes(AGE_PAYLOAD_NONCE_SIZE);
  yield nonce;
  const payloadKey = hkdf(crypto, fileKey, nonce, "payload");
  const chunkNonce = Buffer.alloc(12);
  let counter = 0;
  // Sealed chunks are handed on a batch at a time: a consumer writing each 64 KiB
  // piece apart (a file stream waits for each write to finish) spends most of its
  // time waiting, where one write of a megabyte costs about the same as one of 64 KiB.
  let sealedPieces: Buffer[] = [];
  let sealedBytes = 0;
  const seal = (plaintext: Uint8Array, last: boolean): void => {
    // 11-byte big-endian counter (its top five bytes stay zero: 2^48 chunks is 16 EiB), then the last-chunk flag.
    chunkNonce.writeUIntBE(counter++, 5, 6);
    chunkNonce[11] = last ? 1 : 0;
    const cipher = crypto.createCipheriv("chacha20-poly1305", payloadKey, chunkNonce, { authTagLength: 16 });
    sealedPieces.push(cipher.update(plaintext));
    cipher.final();
    sealedPieces.push(cipher.getAuthTag());
    sealedBytes += plaintext.length + 16;
  };
  const takeBatch = (): Buffer => {
    const batch = Buffer.concat(sealedPieces, sealedBytes);
    sealedPieces = [];
    sealedBytes = 0;
    return batch;
  };

  // Only the tail of each piece is copied (into `chunk`): a full chunk is sealed as not the
  // last only once more input is known to follow, so the piece's last bytes wait there.
  const chunk = Buffer.allocUnsafe(AGE_CHUNK_SIZE);
  let fill = 0;
  for await (const piece of source) {
    if (sealedBytes >= OUTPUT_BATCH_BYTES) yield takeBatch();
    let offset = 0;
    if (piece.length === 0) continue;
    if (fill === AGE_CHUNK_SIZE) {
      seal(chunk, false);
      fill = 0;
    }
    if (fill > 0) {
      const take = Math.min(AGE_CHUNK_SIZE - fill, piece.length);
      chunk.set(piece.subarray(0, take), fill);
      fill += take;
      offset = take;
      if (offset < piece.length) {
        seal(chunk, false);
        fill = 0;
      }
    }
    // Whole chunks with more of the piece after them are sealed straight from it.
    while (piece.length - offset > AGE_CHUNK_SIZE) {
      seal(piece.subarray(offset, offset + AGE_CHUNK_SIZE), false);
      offset += AGE_CHUNK_SIZE;
    }
    if (offset < piece.length) {
      chunk.set(piece.subarray(offset), 0);
      fill = piece.length - offset;
    }
  }
  seal(chunk.subarray(0, fill), true);
  yield takeBatch();
}

function wrapFileKey(crypto: NodeCrypto, fileKey: Uint8Array, recipientKey: Uint8Array) {
  const ephemeral = crypto.generateKeyPairSync("x25519");
  const share = Buffer.from(ephemeral.publicKey.export({ format: "jwk" }).x!, "base64url");
  const publicKey = crypto.createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: Buffer.from(recipientKey).toString("base64url") },
    format: "jwk",
  });
  const shared = crypto.diffieHellman({ privateKey: ephemeral.privateKey, publicKey });
  if (shared.every((byte) => byte === 0)) {
    throw new InvalidArgumentError("the recipient's key is a low-order point: no key can be shared with it");
  }
  const salt = Buffer.concat([share, recipientKey]);
  const wrapKey = hkdf(crypto, shared, salt, X25519_INFO);
  const cipher = crypto.createCipheriv("chacha20-poly1305", wrapKey, Buffer.alloc(12), { authTagLength: 16 });
  const body = Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]);
  return { share, body };
}

function hkdf(crypto: NodeCrypto, key: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", key, salt, info, 32));
}

/** A stanza body in 64-column lines, the last one shorter (empty when the body fills whole lines). */
function bodyLines(text: string): string {
  let lines = "";
  let i = 0;
  for (; i + 64 <= text.length; i += 64) lines += `${text.slice(i, i + 64)}\n`;
  return `${lines}${text.slice(i)}\n`;
}
