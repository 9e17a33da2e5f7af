import { canonicalJson } from "../evidence/canonical";
import { fileDigest } from "../evidence/fileDigest";
import { sha256 } from "../evidence/sha256";
import { toHex } from "../evidence/bytes";

/**
 * A file of a statement: its bytes, or (for a file too large to hold, such as an
 * uploaded delivery) its SHA-256. A delivered file also names the age recipients
 * it is encrypted to, and the digest then binds them (see {@link statementDigest}).
 */
export type StatementFile = ({ bytes: Uint8Array } | { sha256: string }) & { name: string; recipients?: string[] };

/** What a party states with a move: words, documents, and earlier records it points to. */
export interface Statement {
  text: string;
  files?: StatementFile[];
  records?: string[];
}

/**
 * The 32-byte digest a party signs as the `data` of a move that carries a
 * statement (a delivery, a change request, a dispute's reasons, a ruling, an
 * appeal's grounds): SHA-256 of the canonical JSON (RFC 8785) of
 * `{ text, files: [{ name, sha256, recipients? }], records }`. `recipients` is
 * there only for a file that names them (a delivery's ciphertext): the supplier
 * then signs, and the escrow keeps, "this ciphertext, encrypted to these keys".
 * The gateway computes the same from what it receives and refuses a signature
 * over anything else; the dossier's verifier computes it again from the files.
 *
 * @example
 * const data = statementDigest({ text: "Delivered v1.2 of the recycling process package", files: [{ name, bytes }] });
 */
export function statementDigest(statement: Statement): string {
  const summary = {
    text: statement.text,
    files: (statement.files ?? []).map((file) => ({
      name: file.name,
      sha256: "bytes" in file ? fileDigest(file.bytes) : file.sha256.toLowerCase(),
      ...(file.recipients ? { recipients: file.recipients } : {}),
    })),
    records: statement.records ?? [],
  };
  return toHex(sha256(new TextEncoder().encode(canonicalJson(summary))));
}
