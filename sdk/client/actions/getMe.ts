import type { GatewayClientBase } from "../createGatewayClient";
import type { UserView } from "../types";

export type GetMeReturnType = UserView;

/**
 * The signed-in user's own account (GET /v1/users/me).
 *
 * @example
 * const me = await session.client.getMe();
 * if (me.certified) console.log("may publish and trade");
 */
export async function getMe(client: GatewayClientBase): Promise<GetMeReturnType> {
  return client.request<UserView>("GET", "/v1/users/me");
}
