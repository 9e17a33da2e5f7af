// How the demos speak and wait: a numbered story on stdout, money in yuan, and
// polling for what the chain or the bank's system does in its own time.
import { GatewayRequestError } from "../../sdk";

/** Announces a step of the story. */
export const step = (text: string) => console.log(`\n▶ ${text}`);

/** Reports what a step achieved, with the record that proves it when there is one. */
export const ok = (text: string, recordId?: string) =>
  console.log(`  ✓ ${text}${recordId ? `  [record ${recordId}]` : ""}`);

/** An amount in fen, as yuan. */
export const yuan = (fen: number) => `¥${(fen / 100).toLocaleString("en", { minimumFractionDigits: 2 })}`;

/** A moment `days` from now, as an ISO timestamp. */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** A date `days` from today, as YYYY-MM-DD. */
export const today = (days = 0) => inDays(days).slice(0, 10);

/** Polls `check` every 250 ms until it gives a value; fails after `timeoutMs` naming `what`. */
export async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Polls `fetch` until the gateway stops answering 409 `notReady` (a dossier or an
 * archive waiting for its records' anchors, about two seconds), and `ready`
 * accepts what it gives.
 */
export function untilReady<T>(
  what: string,
  notReady: string,
  fetch: () => Promise<T>,
  ready: (value: T) => boolean = () => true,
): Promise<T> {
  return until(what, async () => {
    try {
      const value = await fetch();
      return ready(value) ? value : undefined;
    } catch (error) {
      if (error instanceof GatewayRequestError && error.code === notReady) return undefined;
      throw error;
    }
  });
}
