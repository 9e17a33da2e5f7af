/** test/vectors/escrow.json, typed, for the SDK tests and the contract tests alike. */
import vectorFile from "../vectors/escrow.json";
import type { Statement } from "../../sdk";
import type { TermsMessage } from "../../gateway/escrow/types";

export interface EscrowVectors {
  domain: { name: string; version: string; chainId: string; verifyingContract: string };
  deployer: { privateKey: string; address: string; escrowNonce: number };
  accounts: Record<"supplier" | "demander" | "arbitrator", { privateKey: string; address: string }>;
  chainDealIds: Array<{ dealId: string; chainDealId: string }>;
  statements: Array<{
    statement: { text: string; files?: Array<{ name: string; hex: string }>; records?: string[] };
    digest: string;
  }>;
  terms: {
    value: TermsMessage;
    structHash: string;
    digest: string;
    signatures: { supplier: string; demander: string };
  };
  actions: Array<{
    name: string;
    signer: string;
    value: {
      dealId: string;
      milestone: number;
      action: number;
      data: string;
      release: string;
      refund: string;
      nonce: number;
    };
    structHash: string;
    digest: string;
    signature: string;
  }>;
}

export const escrowVectors = vectorFile as EscrowVectors;

/** A statement vector as the SDK's `statementDigest` takes it (file bytes from their hex). */
export function statementOf(vector: EscrowVectors["statements"][number]["statement"]): Statement {
  return {
    text: vector.text,
    ...(vector.files
      ? {
          files: vector.files.map((file) => ({
            name: file.name,
            bytes: Uint8Array.from(Buffer.from(file.hex, "hex")),
          })),
        }
      : {}),
    ...(vector.records ? { records: vector.records } : {}),
  };
}
