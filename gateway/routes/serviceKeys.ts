import { z } from "zod";
import { SERVICE_KEY_ID_PATTERN } from "tech-transfer-ledger/sdk";
import type { CredentialService } from "../auth/credentials";
import { notFound } from "../errors";
import { defineRoute, type Route } from "../http/route";
import { ADMINISTRATORS } from "../auth/policy";

const admins = { roles: ADMINISTRATORS };

/** Service credentials: bearer tokens for platform services, signing keys for the bank. */
export function serviceKeyRoutes(deps: { credentials: CredentialService }): Route[] {
  const { credentials } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/service-keys",
      summary: "Issue a service credential: a bearer token, or a signing key for HMAC-signed requests (the bank)",
      description:
        "The secret is in this answer only. A signing key signs each request (the SDK's `signRequest`); several keys may be " +
        "live at once, so the bank rotates keys without a gap and revokes the old one after.",
      tags: ["system"],
      access: admins,
      body: z.strictObject({
        label: z.string().trim().min(1).max(100),
        roles: z
          .array(z.enum(["operator", "bank"]))
          .min(1)
          .max(2),
        kind: z.enum(["bearer", "signing"]),
      }),
      responses: {
        201: { description: "The key id and its secret (signing) or token (bearer), shown once" },
        400: { description: "Invalid input" },
        401: { description: "No credential, or a bad one" },
        403: { description: "Not an admin" },
      },
      async handler({ body, principal }) {
        const issued =
          body.kind === "signing"
            ? await credentials.createSigningKey({ label: body.label, roles: body.roles }, principal!.id)
            : await credentials.create({ label: body.label, roles: body.roles }, principal!.id);
        return {
          status: 201,
          body: { ...issued, kind: body.kind, roles: body.roles },
          headers: { "Cache-Control": "no-store" },
        };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/service-keys/:keyId",
      summary: "Revoke a service credential at once",
      tags: ["system"],
      access: admins,
      params: z.object({ keyId: z.string().regex(SERVICE_KEY_ID_PATTERN, "a key id") }),
      responses: {
        204: { description: "Revoked" },
        400: { description: "Not a key id" },
        401: { description: "No credential, or a bad one" },
        403: { description: "Not an admin" },
        404: { description: "No such key" },
      },
      async handler({ params, principal }) {
        if (!(await credentials.exists(params.keyId)))
          throw notFound("KEY_NOT_FOUND", `no service key ${params.keyId}`);
        await credentials.revoke(params.keyId, principal!.id);
        return { status: 204, body: null };
      },
    }),
  ];
}
