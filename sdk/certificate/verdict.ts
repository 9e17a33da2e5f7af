/**
 * The one vocabulary of verdicts, in the SDK, the CLI and the /verify page:
 *
 * - `VALID`: every check passed against the reader's trust anchor (CLI exit 0);
 * - `INVALID`: a check failed, `code` says which (CLI exit 1);
 * - `UNVERIFIED`: the checks that could be made passed, but the anchor could not
 *   be checked: the chain endpoint did not answer (`CHAIN_UNAVAILABLE`), or only
 *   the offline checks were asked for (CLI exit 3). Never a proof of forgery.
 *
 * A usage error (no trust anchor, a file that cannot be read) is no verdict: the
 * SDK throws, the CLI exits 2.
 */
export type Verdict = "VALID" | "INVALID" | "UNVERIFIED";

/** The code of an unverified result whose chain endpoint did not answer. */
export const CHAIN_UNAVAILABLE = "CHAIN_UNAVAILABLE";

/**
 * The CLI's exit status for a verdict.
 *
 * @example
 * process.exit(exitStatusOf(result.verdict)) // 0, 1 or 3
 */
export function exitStatusOf(verdict: Verdict): 0 | 1 | 3 {
  return verdict === "VALID" ? 0 : verdict === "INVALID" ? 1 : 3;
}
