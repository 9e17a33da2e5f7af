import { assertObject, assertOneOf } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { InvalidArgumentError } from "../../errors";
import { ACCOUNT_STATUSES, type AccountStatus, type UserView } from "../types";

export interface ListUsersParameters {
  /** Only accounts in this status (e.g. `pending_review` for the review queue). */
  status?: AccountStatus;
  /** At most this many, 1–500 (the gateway's default is 100). */
  limit?: number;
}
export interface ListUsersReturnType {
  /** Oldest first. */
  users: UserView[];
}

/**
 * Lists accounts for review and administration (GET /v1/users): reviewers,
 * admins, operators and auditors.
 *
 * @example
 * const { users } = await reviewer.listUsers({ status: "pending_review" });
 */
export async function listUsers(
  client: GatewayClientBase,
  parameters: ListUsersParameters = {},
): Promise<ListUsersReturnType> {
  assertObject(parameters, "parameters");
  const { status, limit } = parameters;
  const query = new URLSearchParams();
  if (status !== undefined) {
    assertOneOf(status, ACCOUNT_STATUSES, "status");
    query.set("status", status);
  }
  if (limit !== undefined) {
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw new InvalidArgumentError("limit must be a whole number from 1 to 500", { details: `got ${limit}` });
    }
    query.set("limit", String(limit));
  }
  const search = query.toString() ? `?${query}` : "";
  return client.request<ListUsersReturnType>("GET", `/v1/users${search}`);
}
