import { InvalidArgumentError } from "../../errors";
import { FIELD_NAME_PATTERN, FILES_FIELD } from "../../evidence/record";
import type { EvidenceCertificate } from "../../certificate/types";
import { assertObject, assertRecordId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetCertificateParameters {
  /**
   * The record id (a UUID); the record must be anchored in a final block. Else 409:
   * `NOT_YET_ANCHORED` or `NOT_YET_FINAL` (retry after `retryAfterSeconds`), or
   * `NOT_ANCHORED` (in no batch and not waiting: retrying does not help).
   */
  id: string;
  /** The fields to disclose; the others keep only their commitments. All when omitted. */
  fields?: string[];
}
export type GetCertificateReturnType = EvidenceCertificate;

/**
 * Issues the evidence certificate (出证) of an anchored record
 * (GET /v1/evidence/:id/certificate): one self-contained JSON document. It is
 * what the gateway sent, not yet checked: verify it with `verifyCertificate`
 * against a chain endpoint you choose.
 *
 * @example
 * const certificate = await client.getCertificate({ id, fields: ["price", "currency"] });
 * const result = await verifyCertificate(certificate, { rpcUrl: "http://127.0.0.1:8545" });
 */
export async function getCertificate(
  client: GatewayClientBase,
  parameters: GetCertificateParameters,
): Promise<GetCertificateReturnType> {
  assertObject(parameters, "parameters");
  const { id, fields } = parameters;
  assertRecordId(id);
  let search = "";
  if (fields !== undefined) {
    const names = Array.isArray(fields) ? fields : [];
    const known = (name: unknown) =>
      typeof name === "string" && (FIELD_NAME_PATTERN.test(name) || name === FILES_FIELD);
    if (names.length === 0 || !names.every(known)) {
      throw new InvalidArgumentError("fields must name at least one field, each a field name such as price or $files");
    }
    search = `?${new URLSearchParams({ fields: names.join(",") })}`;
  }
  return client.request<EvidenceCertificate>("GET", `/v1/evidence/${id}/certificate${search}`);
}
