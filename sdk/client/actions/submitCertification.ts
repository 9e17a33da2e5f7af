import { assertFile, assertIdentity, assertObject, assertOneOf, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { fileBody } from "../encoding";
import type { FileInput, Identity, UserView } from "../types";

/** The media types the gateway takes for a licence document. */
const LICENCE_MEDIA_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;

export interface SubmitCertificationParameters {
  /** The signed-in user's own id. */
  userId: string;
  identity: Identity;
  /** An organisation's business licence (PDF, PNG or JPEG, at most 4 MiB); individuals send none. */
  licence?: FileInput & { mediaType: (typeof LICENCE_MEDIA_TYPES)[number] };
}
export type SubmitCertificationReturnType = UserView;

/**
 * Submits (or corrects) the account's real-name certification details
 * (POST /v1/users/:id/certification); the account goes to review. The licence
 * bytes are sent base64-encoded. Only the account's owner may submit.
 *
 * @example
 * await me.submitCertification({
 *   userId: user.id,
 *   identity: { kind: "credit-code", name: "云南光伏科技有限公司", number: "91350100M000100Y43", legalRepresentative: "张三" },
 *   licence: { name: "licence.pdf", mediaType: "application/pdf", bytes: await readFile("licence.pdf") },
 * });
 */
export async function submitCertification(
  client: GatewayClientBase,
  parameters: SubmitCertificationParameters,
): Promise<SubmitCertificationReturnType> {
  assertObject(parameters, "parameters");
  const { userId, identity, licence } = parameters;
  assertUserId(userId);
  assertIdentity(identity);
  if (licence !== undefined) {
    assertFile(licence, "licence");
    assertOneOf(licence.mediaType, LICENCE_MEDIA_TYPES, "licence.mediaType");
  }
  return client.request<UserView>("POST", `/v1/users/${userId}/certification`, {
    identity,
    ...(licence ? { licence: fileBody(licence) } : {}),
  });
}
