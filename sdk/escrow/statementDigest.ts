import { canonicalJson } from "../evidence/canonical";
import { fileDigest } from "../evidence/fileDigest";
import { sha256 } from "../evidence/sha256";
import { toHex } from "../evidence/bytes";

/** What a party states with a move: words, documents, and earlier records it points to. */
export interface Statement {
  text: string;
  files?: Array<{ name: string; bytes: Uint8Array }>;
  records?: string[];
}

/**
 * The 32-byte digest a party signs as the `data` of a move that carries a
 * statement (a delivery, a change request, a dispute's reasons, a ruling, an
 * appeal's grounds): SHA-256 of the canonical JSON (RFC 8785) of
 * `{ text, files: [{ name, sha256 }], records }`. The gateway computes the same
 * from what it receives and refuses a signature over anything else.
 *
 * @example
 * const data = statementDigest({ text: "Delivered v1.2 of the recycling process package", files: [{ name, bytes }] });
 */
export function statementDigest(statement: Statement): string {
  const summary = {
    text: statement.text,
    files: (statement.files ?? []).map((file) => ({ name: file.name, sha256: fileDigest(file.bytes) })),
    records: statement.records ?? [],
  };
  return toHex(sha256(new TextEncoder().encode(canonicalJson(summary))));
}
