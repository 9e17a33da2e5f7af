import { assertObject, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface DryRunImportParameters {
  /** The user the listings will belong to. */
  asUser: string;
  /** At most one chunk of lines (the gateway's IMPORT_CHUNK). */
  lines: Array<{ line: number; importId: string; content: unknown }>;
}
export type ImportLineOutcome =
  | { line: number; importId: string; status: "valid" | "published" | "approved"; listingId?: string }
  | { line: number; importId: string; status: "already-imported"; listingId: string }
  | { line: number; importId: string; status: "refused"; problems: Array<{ path: string; message: string }> };
export type DryRunImportReturnType = { lines: ImportLineOutcome[] };

/**
 * Checks catalogue lines for a user without changing anything (POST /v1/imports/dry-run), for the
 * operator: each line as `createListing` would be checked; every refusal names its line and all its
 * problems.
 *
 * @example
 * const { lines } = await operator.dryRunImport({ asUser: userId, lines: [{ line: 1, importId: "A-1", content }] });
 */
export async function dryRunImport(
  client: GatewayClientBase,
  parameters: DryRunImportParameters,
): Promise<DryRunImportReturnType> {
  assertObject(parameters, "parameters");
  assertUserId(parameters.asUser, "asUser");
  return client.request<DryRunImportReturnType>("POST", `/v1/imports/dry-run`, {
    asUser: parameters.asUser,
    lines: parameters.lines,
  });
}
