import { forbidden } from "../errors";
import type { User } from "./types";

/**
 * Refuses, with the reason, a user who may not publish or trade (clause 6.3.1
 * and the transaction guarantee): only certified accounts may. Services that
 * publish or trade call this first.
 *
 * @example
 * assertMayTrade(await users.get(principal.id));
 */
export function assertMayTrade(user: User): void {
  const refuse = (message: string) => forbidden("NOT_CERTIFIED", message);
  switch (user.status) {
    case "certified":
      return;
    case "registered":
      throw refuse("only certified accounts may publish or trade: submit your real-name certification first");
    case "pending_review":
      throw refuse("only certified accounts may publish or trade: your certification is waiting for a reviewer");
    case "rejected":
      throw refuse(
        `only certified accounts may publish or trade: your certification was rejected (${user.certification?.decision?.reason ?? "no reason given"}); correct it and submit again`,
      );
    case "suspended":
      throw forbidden(
        "ACCOUNT_SUSPENDED",
        `the account is suspended${user.suspensionReason ? `: ${user.suspensionReason}` : ""}`,
      );
  }
}
