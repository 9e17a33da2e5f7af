import { z } from "zod";
import {
  LANGUAGE_TAG_PATTERN,
  USER_ID_PATTERN,
  ADDRESS_PATTERN,
  SIGNATURE_PATTERN,
  fileInputSchema,
} from "tech-transfer-ledger/sdk";
import { USER_ROLES, type Principal } from "../auth/roles";
import { forbidden, unauthorized, badRequest, tooLarge } from "../errors";
import { defineRoute, type Route } from "../http/route";
import type { SessionTokens } from "../identity/sessions";
import type { SignInChallenges } from "../identity/signIn";
import { ACCOUNT_TYPES } from "../identity/types";
import { AGE_RECIPIENT_PATTERN, type UserService } from "../identity/users";
import { reviewView, userView } from "../identity/view";
import { ADMINISTRATORS, readAccess } from "../auth/policy";
import type { SignInWatch } from "../risk/gates";

const address = z.string().regex(ADDRESS_PATTERN, "a 20-byte account address as 0x-prefixed hex");
const signedChallenge = {
  message: z.string().min(1).max(2000).meta({ description: "The challenge exactly as issued" }),
  signature: z.string().regex(SIGNATURE_PATTERN, "a 65-byte signature as 0x-prefixed hex"),
};
const userId = z.string().regex(USER_ID_PATTERN, "a user id (usr_…)");
const text = (max: number) => z.string().trim().min(1).max(max);
const names = z
  .record(z.string().regex(LANGUAGE_TAG_PATTERN, "a language tag such as zh, en, th"), text(200))
  .refine((value) => Object.keys(value).length >= 1 && Object.keys(value).length <= 8, "one to eight names")
  .meta({
    description: "Names by language tag; at least one",
    example: { zh: "云南光伏科技有限公司", en: "Yunnan PV Technology Co., Ltd." },
  });
const licenceFile = fileInputSchema.extend({
  mediaType: z.enum(["application/pdf", "image/png", "image/jpeg"]).meta({ description: "PDF, PNG or JPEG" }),
});
/**
 * A document number: any text here, so that its length and emptiness are judged by the
 * validator of its kind, with that validator's code (`RESIDENT_ID_FORMAT`, `CREDIT_CODE_FORMAT`, …)
 * rather than a generic schema message. 200 characters bound what is read.
 */
const documentNumber = z
  .string()
  .refine((number) => number.length <= 200, {
    message: "a document number has at most 200 characters",
    params: { code: "DOCUMENT_NUMBER_TOO_LONG" },
  })
  .meta({ description: "Checked by the validator of its kind; see docs/IDENTITY.md for the codes" });
const identity = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("resident-id"), name: text(100), number: documentNumber }),
  z.strictObject({
    kind: z.literal("passport"),
    name: text(100),
    number: documentNumber,
    country: z.string().length(2),
  }),
  z.strictObject({
    kind: z.literal("credit-code"),
    name: text(200),
    number: documentNumber,
    legalRepresentative: text(100),
  }),
  z.strictObject({
    kind: z.literal("foreign-registration"),
    name: text(200),
    number: documentNumber,
    country: z.string().length(2),
    legalRepresentative: text(100),
  }),
]);
const sessionAnswer = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: z.object({ id: z.string() }).loose(),
});

const LICENCE_LIMIT = 4 * 1024 * 1024;
const admins = { roles: ADMINISTRATORS };
const ownerOnly = { roles: [] as const, owner: (p: Record<string, string>) => p.id };
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not allowed for this caller" },
};

const actor = (principal: Principal | undefined) => principal!.id;

/** The header a client names its device by at sign-in (docs/RISK.md): risk control links accounts signed in from one device. */
export const DEVICE_HEADER = "x-device-id";
const DEVICE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The device a sign-in names, if any; a malformed one is refused rather than silently dropped. */
function deviceOf(ctx: { get(name: string): string }): string | undefined {
  const device = ctx.get(DEVICE_HEADER);
  if (!device) return undefined;
  if (!DEVICE_ID.test(device)) {
    throw badRequest(
      "DEVICE_ID_FORMAT",
      "X-Device-Id is 8 to 128 letters, digits, dots, colons, dashes or underscores",
    );
  }
  return device;
}

/** The address a sign-in challenge names (what a failed attempt is counted against). */
const claimedAddress = (message: string) => /^.+\n(0x[0-9a-fA-F]{40})\n/.exec(message)?.[1];

/** Registration, sign-in, certification, keys and roles (clause 6.2). */
export function identityRoutes(deps: {
  users: UserService;
  challenges: SignInChallenges;
  sessions: SessionTokens;
  /** Risk control: who signs in from which device, and failed attempts. */
  risk?: SignInWatch;
}): Route[] {
  const { users, challenges, sessions, risk } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/auth/challenge",
      summary: "Get a one-time sign-in challenge for an address",
      description:
        "Sign the returned message with the address's key (personal_sign, EIP-191) within five minutes. " +
        "Issuing keeps no state (the nonce carries an HMAC), so asking for challenges cannot crowd others out.",
      tags: ["identity"],
      access: { public: true },
      body: z.strictObject({ address }),
      responses: {
        201: {
          description: "The challenge",
          schema: z.object({ message: z.string(), nonce: z.string(), expiresAt: z.string() }),
        },
        400: { description: "Not an address" },
      },
      handler: ({ body }) => ({ status: 201, body: challenges.issue(body.address) }),
    }),
    defineRoute({
      method: "POST",
      path: "/v1/auth/session",
      summary: "Sign in: exchange a signed challenge for a session token",
      tags: ["identity"],
      access: { public: true },
      body: z.strictObject(signedChallenge),
      responses: {
        201: { description: "A session token (Authorization: Bearer …)", schema: sessionAnswer },
        400: { description: "Not a challenge, or a malformed X-Device-Id (`DEVICE_ID_FORMAT`)" },
        401: { description: "Replayed, expired, altered, foreign-domain challenge, wrong key, or no account" },
        403: { description: "The account is suspended" },
      },
      async handler({ body, ctx }) {
        const device = deviceOf(ctx);
        let signer: string;
        let user: Awaited<ReturnType<UserService["findByAddress"]>>;
        try {
          signer = challenges.redeem(body.message, body.signature);
          user = await users.findByAddress(signer);
          if (!user || user.signingKeys.find((key) => key.value === signer)?.until) {
            throw unauthorized("NOT_REGISTERED", `no account signs with ${signer}; register first (POST /v1/users)`);
          }
        } catch (error) {
          if ((error as { status?: number }).status === 401) {
            risk?.signInFailed(claimedAddress(body.message), (error as { code: string }).code);
          }
          throw error;
        }
        if (user.status === "suspended") throw forbidden("ACCOUNT_SUSPENDED", "the account is suspended");
        const session = sessions.issue(user.id, signer);
        risk?.signedIn(user.id, signer, device);
        return { status: 201, body: { ...session, user: userView(user, undefined) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/users",
      summary: "Register an account with a signed challenge (and get a session)",
      description:
        "Ask for a challenge for your address, sign it, and send it with the account's type, names and encryption recipient. " +
        "The address becomes the account's signing key.",
      tags: ["identity"],
      access: { public: true },
      body: z.strictObject({
        type: z.enum(ACCOUNT_TYPES).meta({
          description: "individual, enterprise, institute (university or research institute) or service institution",
        }),
        names,
        encryptionRecipient: z.string().regex(AGE_RECIPIENT_PATTERN, "an age X25519 recipient (age1…)"),
        ...signedChallenge,
      }),
      responses: {
        201: { description: "The account and a session", schema: sessionAnswer },
        ...refusals,
        409: { description: "The address already has an account" },
      },
      async handler({ body, ctx }) {
        const device = deviceOf(ctx);
        const signer = challenges.redeem(body.message, body.signature);
        const user = await users.register(
          { type: body.type, names: body.names, encryptionRecipient: body.encryptionRecipient },
          signer,
        );
        const session = sessions.issue(user.id, signer);
        risk?.signedIn(user.id, signer, device);
        return {
          status: 201,
          body: { ...session, user: userView(user, undefined) },
          headers: { Location: `/v1/users/${user.id}` },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/users/me",
      summary: "The signed-in user's own account",
      tags: ["identity"],
      access: { roles: [], anyUser: true },
      responses: { 200: { description: "The account" }, ...refusals },
      async handler({ principal }) {
        return { status: 200, body: userView(await users.get(actor(principal)), principal) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/users",
      summary: "List accounts (for review and administration)",
      tags: ["identity"],
      access: readAccess.users,
      query: z.object({
        status: z.enum(["registered", "pending_review", "rejected", "certified", "suspended"]).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      responses: { 200: { description: "Accounts, oldest first" }, ...refusals },
      async handler({ query, principal }) {
        const list = await users.list({ status: query.status, limit: query.limit });
        return {
          status: 200,
          body: { users: await Promise.all(list.map((user) => reviewView(user, principal, users))) },
        };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/users/:id",
      summary: "One account (its owner, reviewers, admins, auditors)",
      tags: ["identity"],
      access: readAccess.user,
      params: z.object({ id: userId }),
      responses: { 200: { description: "The account" }, ...refusals, 404: { description: "No such account" } },
      async handler({ params, principal }) {
        return { status: 200, body: await reviewView(await users.get(params.id), principal, users) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/users/:id/certification",
      summary: "Submit or correct real-name certification details (the account's owner)",
      description:
        "Individuals: resident ID (GB 11643 check digit) or passport and country. Organisations: unified social credit code " +
        "(GB 32100 check character) or foreign registration number and country, the legal representative, and the licence document " +
        `(PDF, PNG or JPEG, at most ${LICENCE_LIMIT} bytes). The account goes to review.`,
      tags: ["identity"],
      access: ownerOnly,
      params: z.object({ id: userId }),
      body: z.strictObject({ identity, licence: licenceFile.optional() }),
      bodyLimit: Math.ceil(LICENCE_LIMIT * 1.4) + 64 * 1024,
      responses: {
        200: { description: "The account, pending review" },
        ...refusals,
        409: { description: "Another account holds this document number" },
        413: { description: "The licence document is too large" },
      },
      async handler({ params, body, principal }) {
        const licence = body.licence && {
          name: body.licence.name,
          mediaType: body.licence.mediaType,
          bytes: Buffer.from(body.licence.contentBase64, "base64"),
        };
        if (licence && licence.bytes.length > LICENCE_LIMIT) {
          throw tooLarge(
            "FILE_TOO_LARGE",
            `the licence document is ${licence.bytes.length} bytes; the limit is ${LICENCE_LIMIT}`,
          );
        }
        if (licence && !matchesMediaType(licence.bytes, licence.mediaType)) {
          throw badRequest("FILE_TYPE_MISMATCH", `the licence document is not a ${licence.mediaType} file`);
        }
        return {
          status: 200,
          body: userView(await users.submitCertification(params.id, body.identity, licence), principal),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/users/:id/certification/decision",
      summary: "Approve or reject a pending certification (reviewers)",
      tags: ["identity"],
      access: { roles: ["reviewer"] },
      params: z.object({ id: userId }),
      body: z.strictObject({ approved: z.boolean(), reason: z.string().trim().max(1000).optional() }),
      responses: {
        200: { description: "The account, certified or rejected" },
        ...refusals,
        404: { description: "No such account" },
        409: { description: "Not waiting for review" },
      },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: userView(await users.decideCertification(params.id, body, actor(principal)), principal),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/users/:id/suspension",
      summary: "Suspend (suspended: true) or reinstate (false) an account (admins)",
      tags: ["identity"],
      access: admins,
      params: z.object({ id: userId }),
      body: z.strictObject({ suspended: z.boolean(), reason: text(1000) }),
      responses: {
        200: { description: "The account" },
        ...refusals,
        404: { description: "No such account" },
        409: { description: "Already so" },
      },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: userView(await users.setSuspended(params.id, body.suspended, body.reason, actor(principal)), principal),
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/users/:id/roles",
      summary: "Grant a role (admins); brokers and managers need their certificate number",
      tags: ["identity"],
      access: admins,
      params: z.object({ id: userId }),
      body: z.strictObject({
        role: z.enum(USER_ROLES),
        certificateNumber: z
          .string()
          .regex(/^[A-Za-z0-9-]{4,40}$/, "4–40 letters, digits or -")
          .optional(),
      }),
      responses: {
        200: { description: "The account" },
        ...refusals,
        404: { description: "No such account" },
        409: { description: "Already held" },
      },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: userView(
            await users.grantRole(params.id, body.role, body.certificateNumber, actor(principal)),
            principal,
          ),
        };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/users/:id/roles/:role",
      summary: "Revoke a role (admins)",
      tags: ["identity"],
      access: admins,
      params: z.object({ id: userId, role: z.enum(USER_ROLES) }),
      responses: {
        200: { description: "The account" },
        ...refusals,
        404: { description: "No such account or role not held" },
      },
      async handler({ params, principal }) {
        return {
          status: 200,
          body: userView(await users.revokeRole(params.id, params.role, actor(principal)), principal),
        };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/users/:id/keys/signing",
      summary: "Rotate the signing key (the owner, with a challenge signed by the new key)",
      description:
        "The old key is kept as retired, so what it signed stays attributable. Answers a new session for the new key.",
      tags: ["identity"],
      access: ownerOnly,
      params: z.object({ id: userId }),
      body: z.strictObject(signedChallenge),
      responses: {
        200: { description: "The account and a new session", schema: sessionAnswer },
        ...refusals,
        409: { description: "The address is or was in use" },
      },
      async handler({ params, body, principal, ctx }) {
        const device = deviceOf(ctx);
        const signer = challenges.redeem(body.message, body.signature);
        const user = await users.rotateSigningKey(params.id, signer);
        risk?.signedIn(user.id, signer, device);
        return { status: 200, body: { ...sessions.issue(user.id, signer), user: userView(user, principal) } };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/users/:id/keys/encryption",
      summary: "Set a new encryption recipient for deliveries (the owner)",
      tags: ["identity"],
      access: ownerOnly,
      params: z.object({ id: userId }),
      body: z.strictObject({ recipient: z.string().regex(AGE_RECIPIENT_PATTERN, "an age X25519 recipient (age1…)") }),
      responses: { 200: { description: "The account" }, ...refusals, 409: { description: "Unchanged" } },
      async handler({ params, body, principal }) {
        return {
          status: 200,
          body: userView(await users.setEncryptionRecipient(params.id, body.recipient), principal),
        };
      },
    }),
  ];
}

/** Whether `bytes` start as a file of `mediaType` does (PDF, PNG, JPEG signatures). */
function matchesMediaType(bytes: Buffer, mediaType: string): boolean {
  const starts = (hex: string) => bytes.subarray(0, hex.length / 2).toString("hex") === hex;
  if (mediaType === "application/pdf") return starts("25504446");
  if (mediaType === "image/png") return starts("89504e470d0a1a0a");
  if (mediaType === "image/jpeg") return starts("ffd8ff");
  return false;
}
