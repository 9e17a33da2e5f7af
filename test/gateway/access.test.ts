import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USER_ROLES, describeAccess, type Role } from "../../gateway/auth/roles";
import type { Route } from "../../gateway/http/route";
import { makeUser, type TestUser } from "../helpers/identity";
import { client, startTestPlatform, type TestPlatform } from "../helpers/platform";

/** Opens an event stream and closes it once its status is known (it would never end by itself). */
async function openStream(url: string, token?: string): Promise<{ status: number; body: any }> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : undefined;
  controller.abort();
  return { status: response.status, body };
}

/**
 * Every route with every kind of caller. Bodies are empty objects, so nothing
 * changes while walking: a caller the route admits gets past authorization to
 * validation (a 2xx or a 4xx other than 401/403); a caller it does not admit
 * gets 401 (no or a bad credential) or 403.
 */
describe("deny by default: every route with every kind of caller", () => {
  let t: TestPlatform;
  let target: TestUser;
  const callers: Record<string, { token?: string; roles: Role[]; userId?: string; badCredential?: boolean }> = {};

  beforeAll(async () => {
    t = await startTestPlatform();
    target = await makeUser(t, { roles: [] });
    callers.anonymous = { roles: [] };
    callers.operator = { token: t.token, roles: ["operator"] };
    for (const role of USER_ROLES) {
      const user = await makeUser(t, { roles: [role] });
      callers[role] = { token: user.token, roles: [role], userId: user.id };
    }
    const plain = await makeUser(t, { roles: [] });
    callers["user without roles"] = { token: plain.token, roles: [], userId: plain.id };
    callers["the account's owner"] = { token: target.token, roles: [], userId: target.id };
    const revoked = await t.platform.credentials.create({ label: "revoked", roles: ["operator"] });
    await t.platform.credentials.revoke(revoked.keyId);
    const [, keyId] = t.token.split(".");
    const session = target.token;
    const expired = t.platform.sessions.issue(target.id, target.wallet.address, Date.now() - 3600_000).token;
    const bad = {
      "malformed token": "not-a-token",
      "unknown service key": `ttl.${"0".repeat(16)}.${"A".repeat(43)}`,
      "revoked service key": revoked.token,
      "wrong service secret": `ttl.${keyId}.${"B".repeat(43)}`,
      "altered session": `${session.slice(0, -3)}${session.endsWith("AAA") ? "BBB" : "AAA"}`,
      "expired session": expired,
    };
    for (const [name, token] of Object.entries(bad)) callers[name] = { token, roles: [], badCredential: true };
  });
  afterAll(async () => {
    await t?.close();
  });

  function samplePath(route: Route): string {
    return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
      if (route.path.startsWith("/v1/subjects/")) return `user:${target.id}`;
      if (route.path.startsWith("/v1/users/") && name === "id") return target.id;
      if (route.path.startsWith("/v1/listings/") && name === "id") return `lst_${"0".repeat(24)}`;
      if (name === "requestId") return `acr_${"0".repeat(16)}`;
      if (name === "batchId") return `0x${"00".repeat(32)}`;
      if (route.path.startsWith("/v1/matches/")) return `mat_${"0".repeat(24)}`;
      if (name === "milestone") return "0";
      if (name === "sha256") return `0x${"00".repeat(32)}`;
      if (name === "instructionId") return `deal_${"0".repeat(24)}.m0.release.1`;
      if (route.path.startsWith("/v1/bank/deposits/")) return `dep_${"0".repeat(24)}`;
      if (route.path.startsWith("/v1/disputes/")) return `deal_${"0".repeat(24)}.m0`;
      if (name === "threadId") return "thr_main";
      if (name === "questionId") return `fq_${"0".repeat(16)}`;
      if (name === "checkInId") return `chk_${"0".repeat(16)}`;
      if (name === "complaintId") return `cmp_${"0".repeat(16)}`;
      if (name === "minutesId") return `min_${"0".repeat(16)}`;
      if (name === "visitId") return `vis_${"0".repeat(16)}`;
      if (name === "version") return "1";
      if (route.path.startsWith("/v1/contract-templates/")) return "licence";
      if (route.path.startsWith("/v1/deals/")) return `deal_${"0".repeat(24)}`;
      if (route.path.startsWith("/v1/saved-searches/")) return `srch_${"0".repeat(16)}`;
      if (route.path.startsWith("/v1/notification-webhooks/")) return `whk_${"0".repeat(16)}`;
      if (route.path.startsWith("/v1/auctions/")) return `auc_${"0".repeat(24)}`;
      if (name === "keyId") return "0".repeat(16);
      if (name === "alertId") return `ra_${"0".repeat(16)}`;
      if (name === "entryId") return `bl_${"0".repeat(16)}`;
      if (route.path.startsWith("/v1/biddings/")) return `bid_${"0".repeat(24)}`;
      if (name === "role") return "supplier";
      if (name === "file") return "noto-sans-sc-100-400-normal.woff2";
      if (route.path.startsWith("/v1/service-offerings/") && name === "id") return `svo_${"0".repeat(16)}`;
      if (route.path.startsWith("/v1/service-offerings/") && name === "index") return "0";
      if (route.path.startsWith("/v1/service-orders/")) return `svc_${"0".repeat(16)}`;
      if (name === "id") return "0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa";
      if (name === "sha256") return `0x${"00".repeat(32)}`;
      throw new Error(`add a sample value for :${name} of ${route.path}`);
    });
  }

  it("states who may call each route", () => {
    for (const route of t.platform.app.routes) {
      expect(route.access, `${route.method} ${route.path}`).toBeDefined();
      expect(describeAccess(route.access).length, `${route.method} ${route.path}`).toBeGreaterThan(0);
    }
  });

  it("admits exactly the callers each route names and refuses the rest with 401 or 403, never a 5xx", async () => {
    let walked = 0;
    for (const route of t.platform.app.routes) {
      const path = samplePath(route);
      for (const [name, caller] of Object.entries(callers)) {
        const label = `${name} → ${route.method} ${route.path}`;
        const body = route.method === "GET" || route.method === "DELETE" ? undefined : {};
        const response = route.responses[200]?.contentType?.startsWith("text/event-stream")
          ? await openStream(`${t.url}${path}`, caller.token)
          : await client(t.url, caller.token)(route.method, path, body);
        walked++;
        expect(response.status, label).toBeLessThan(500);
        const access = route.access;
        if (caller.badCredential) {
          // A bad credential is refused everywhere, even on public routes, so a broken client learns at once.
          expect(response.status, label).toBe(401);
          continue;
        }
        const admitted =
          "public" in access ||
          access.roles.some((role) => caller.roles.includes(role)) ||
          (caller.userId !== undefined && access.owner?.({ id: path.split("/")[3] ?? "" }) === caller.userId);
        if (admitted || (caller.userId !== undefined && access.anyUser)) {
          // Past the route's access check: what may still refuse is the object itself
          // (not theirs, not public), with a code of its own, never the route's.
          const routeRefusal = response.status === 401 || response.body?.error?.code === "FORBIDDEN";
          expect(routeRefusal, `${label} answered ${response.status} ${JSON.stringify(response.body)}`).toBe(false);
        } else {
          expect(response.status, label).toBe(caller.token ? 403 : 401);
          expect(response.body.error.code, label).toBe(caller.token ? "FORBIDDEN" : "AUTHENTICATION_REQUIRED");
        }
      }
    }
    expect(walked).toBe(t.platform.app.routes.length * Object.keys(callers).length);
    // Every route × every caller, one request at a time: on a loaded machine it outgrew the default minute.
  }, 180_000);

  it("never puts the operator's secret in a response or the API description", async () => {
    const secret = t.token.split(".")[2];
    const bodies = await Promise.all(
      ["/health", "/openapi.json", "/docs", "/v1/chain"].map((p) => fetch(`${t.url}${p}`).then((r) => r.text())),
    );
    for (const body of bodies) expect(body).not.toContain(secret);
  });

  it("does not let one party read or change another's objects by guessing ids", async () => {
    const alice = await makeUser(t);
    const bob = await makeUser(t);
    const asAlice = client(t.url, alice.token);
    const guesses: Array<[string, string, unknown?]> = [
      ["GET", `/v1/users/${bob.id}`],
      ["GET", `/v1/users/usr_${"0".repeat(24)}`],
      [
        "POST",
        `/v1/users/${bob.id}/certification`,
        { identity: { kind: "resident-id", name: "x", number: "11010519491231002X" } },
      ],
      [
        "PUT",
        `/v1/users/${bob.id}/keys/encryption`,
        { recipient: "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p" },
      ],
      ["POST", `/v1/users/${bob.id}/roles`, { role: "admin" }],
      ["POST", `/v1/users/${bob.id}/suspension`, { suspended: true, reason: "x" }],
      ["GET", `/v1/subjects/user:${bob.id}/evidence`],
    ];
    for (const [method, path, body] of guesses) {
      const response = await asAlice(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    // Bob's registration record: Alice may not read it, nor its certificate; nor a record that does not exist.
    const chain = await client(t.url, bob.token)("GET", `/v1/subjects/user:${bob.id}/evidence`);
    expect(chain.status).toBe(200);
    const bobsRecord = chain.body.records[0].id as string;
    expect((await asAlice("GET", `/v1/evidence/${bobsRecord}`)).status).toBe(403);
    expect((await asAlice("GET", `/v1/evidence/${bobsRecord}/certificate`)).status).toBe(403);
    expect((await asAlice("GET", "/v1/evidence/0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa")).status).toBe(403);
    expect((await client(t.url, bob.token)("GET", `/v1/evidence/${bobsRecord}`)).status).toBe(200);
    expect((await client(t.url, t.token)("GET", `/v1/users/${bob.id}`)).status).toBe(200);
  });
});
