import { receiptSchema, type EvidenceReceipt } from "../receipts/receipt";

/** The response header in which the gateway hands out the receipts of what a request recorded. */
export const RECEIPTS_HEADER = "evidence-receipts";

/**
 * The receipts in an `Evidence-Receipts` header (base64url of a JSON array), each
 * checked for shape; a header that is absent or cannot be read gives none. Their
 * signatures are checked when they are used, against the reader's trust anchor.
 */
export function receiptsFromHeader(value: string | null): EvidenceReceipt[] {
  if (!value) return [];
  try {
    const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return Array.isArray(parsed) ? parsed.filter((r) => receiptSchema.safeParse(r).success) : [];
  } catch {
    return [];
  }
}
