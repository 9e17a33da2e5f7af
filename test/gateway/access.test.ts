import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Route } from "../../gateway/http/route";
import { client, startTestPlatform, type TestPlatform } from "../helpers/platform";

/** A plausible value for each path parameter, so a request reaches the access check and beyond. */
const SAMPLE_PARAMS: Record<string, string> = {
  id: "0b6f8a9e-6a53-4c53-9d5c-31d0b7f1c2aa",
  sha256: `0x${"00".repeat(32)}`,
};
const SAMPLE_BODIES: Record<string, unknown> = {
  "POST /v1/evidence": { kind: "evidence.attested", subject: "note:access", data: { a: 1 } },
};

function samplePath(route: Route): string {
  return route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    if (route.path.startsWith("/v1/subjects/")) return "deal:access";
    const value = SAMPLE_PARAMS[name];
    if (!value) throw new Error(`add a sample value for :${name} of ${route.path}`);
    return value;
  });
}

describe("deny by default: every route with every kind of caller", () => {
  let t: TestPlatform;
  const callers: Record<string, string | undefined> = {};

  beforeAll(async () => {
    t = await startTestPlatform();
    callers.anonymous = undefined;
    callers.operator = t.token;
    callers.malformed = "not-a-token";
    callers.unknown = `ttl.${"0".repeat(16)}.${"A".repeat(43)}`;
    const revoked = await t.platform.credentials.create({ label: "revoked", roles: ["operator"] });
    await t.platform.credentials.revoke(revoked.keyId);
    callers.revoked = revoked.token;
    const [, keyId] = t.token.split(".");
    callers["wrong secret"] = `ttl.${keyId}.${"B".repeat(43)}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it("states who may call each route", () => {
    for (const route of t.platform.app.routes) {
      expect(route.access, `${route.method} ${route.path}`).toBeDefined();
      if (!("public" in route.access)) expect(route.access.roles.length).toBeGreaterThan(0);
    }
  });

  it("admits exactly the callers each route names, refuses the rest with 401 or 403, and never answers 5xx", async () => {
    const seen: string[] = [];
    for (const route of t.platform.app.routes) {
      for (const [caller, token] of Object.entries(callers)) {
        const label = `${caller} → ${route.method} ${route.path}`;
        const response = await client(t.url, token)(
          route.method,
          samplePath(route),
          SAMPLE_BODIES[`${route.method} ${route.path}`],
        );
        expect(response.status, label).toBeLessThan(500);
        const refused = response.status === 401 || response.status === 403;
        if (caller === "anonymous") {
          expect(refused, label).toBe(!("public" in route.access));
          if (refused) expect(response.body.error.code, label).toBe("AUTHENTICATION_REQUIRED");
        } else if (caller === "operator") {
          expect(refused, label).toBe(false);
        } else {
          // A bad credential is refused everywhere, even on public routes, so a broken client learns at once.
          expect(response.status, label).toBe(401);
          expect(response.body.error.code, label).toBe("INVALID_CREDENTIAL");
        }
        seen.push(label);
      }
    }
    expect(seen.length).toBe(t.platform.app.routes.length * Object.keys(callers).length);
  });

  it("never puts the operator's secret in a response or the API description", async () => {
    const secret = t.token.split(".")[2];
    const bodies = await Promise.all(
      ["/health", "/openapi.json", "/docs", "/v1/chain"].map((p) => fetch(`${t.url}${p}`).then((r) => r.text())),
    );
    for (const body of bodies) expect(body).not.toContain(secret);
  });
});
