import { InvalidArgumentError, type ErrorDetail } from "../errors";
import { decideCertification, type DecideCertificationParameters } from "./actions/decideCertification";
import { getCertificate, type GetCertificateParameters } from "./actions/getCertificate";
import { getChainInfo } from "./actions/getChainInfo";
import { getTrustAnchor } from "./actions/getTrustAnchor";
import { getReceipt, type GetReceiptParameters } from "./actions/getReceipt";
import { RECEIPTS_HEADER, receiptsFromHeader } from "./receiptsHeader";
import type { EvidenceReceipt } from "../receipts/receipt";
import { getHealth } from "./actions/getHealth";
import { getMe } from "./actions/getMe";
import { getRecord, type GetRecordParameters } from "./actions/getRecord";
import { getSubjectEvidence, type GetSubjectEvidenceParameters } from "./actions/getSubjectEvidence";
import { getUser, type GetUserParameters } from "./actions/getUser";
import { grantRole, type GrantRoleParameters } from "./actions/grantRole";
import { listUsers, type ListUsersParameters } from "./actions/listUsers";
import { recordEvidence, type RecordEvidenceParameters } from "./actions/recordEvidence";
import { register, type RegisterParameters } from "./actions/register";
import { requestChallenge, type RequestChallengeParameters } from "./actions/requestChallenge";
import { revokeRole, type RevokeRoleParameters } from "./actions/revokeRole";
import { rotateSigningKey, type RotateSigningKeyParameters } from "./actions/rotateSigningKey";
import { setEncryptionRecipient, type SetEncryptionRecipientParameters } from "./actions/setEncryptionRecipient";
import { setSuspended, type SetSuspendedParameters } from "./actions/setSuspended";
import { signIn, type SignInParameters } from "./actions/signIn";
import { getEscrow, type GetEscrowParameters } from "./actions/getEscrow";
import { signEscrowTerms, type SignEscrowTermsParameters } from "./actions/signEscrowTerms";
import { moveMilestone, type MoveMilestoneParameters } from "./actions/moveMilestone";
import { submitCertification, type SubmitCertificationParameters } from "./actions/submitCertification";
import { waitForAnchor, type WaitForAnchorParameters } from "./actions/waitForAnchor";
import { GatewayRequestError, GatewayUnreachableError } from "./errors";

/**
 * HTTP methods the gateway's API uses.
 *
 * @example
 * const method: HttpMethod = "PUT";
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * What every action needs: where the gateway is, the bearer token (if any), a
 * JSON `request`, and `withToken` for a client acting as someone else.
 *
 * @example
 * const body = await client.request<{ chainId: string }>("GET", "/v1/chain");
 */
export interface GatewayClientBase {
  /** The gateway's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The bearer token sent with every request: a session (`ses.…`) or a service credential (`ttl.…`). */
  readonly token: string | undefined;
  /**
   * Sends `body` (if any) as JSON to `path` (starting with `/`, with its query),
   * and answers the parsed JSON of a 2xx answer. Throws {@link GatewayRequestError}
   * for any other status and {@link GatewayUnreachableError} when there is no answer.
   */
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown): Promise<T>;
  /** A client like this one that sends `token` (or none); it keeps its receipts with this one's. */
  withToken(token: string | undefined): GatewayClient;
  /**
   * The evidence receipts this client (and those made from it with `withToken`) got
   * so far, oldest first: the gateway's signed word that it recorded each record at
   * its place in its subject's chain. Save them (`JSON.stringify`) to check a dossier
   * later with `verifyDossier({ receipts })` or `npm run verify -- --receipts`.
   */
  receipts(): EvidenceReceipt[];
}

/**
 * The actions, bound to a client: `client.getMe()` is `getMe(client)`.
 *
 * @example
 * const actions: GatewayActions = createGatewayClient({ baseUrl });
 */
export interface GatewayActions {
  requestChallenge(parameters: RequestChallengeParameters): ReturnType<typeof requestChallenge>;
  signIn(parameters: SignInParameters): ReturnType<typeof signIn>;
  register(parameters: RegisterParameters): ReturnType<typeof register>;
  getMe(): ReturnType<typeof getMe>;
  getUser(parameters: GetUserParameters): ReturnType<typeof getUser>;
  listUsers(parameters?: ListUsersParameters): ReturnType<typeof listUsers>;
  submitCertification(parameters: SubmitCertificationParameters): ReturnType<typeof submitCertification>;
  decideCertification(parameters: DecideCertificationParameters): ReturnType<typeof decideCertification>;
  setSuspended(parameters: SetSuspendedParameters): ReturnType<typeof setSuspended>;
  grantRole(parameters: GrantRoleParameters): ReturnType<typeof grantRole>;
  revokeRole(parameters: RevokeRoleParameters): ReturnType<typeof revokeRole>;
  rotateSigningKey(parameters: RotateSigningKeyParameters): ReturnType<typeof rotateSigningKey>;
  setEncryptionRecipient(parameters: SetEncryptionRecipientParameters): ReturnType<typeof setEncryptionRecipient>;
  recordEvidence(parameters: RecordEvidenceParameters): ReturnType<typeof recordEvidence>;
  getRecord(parameters: GetRecordParameters): ReturnType<typeof getRecord>;
  waitForAnchor(parameters: WaitForAnchorParameters): ReturnType<typeof waitForAnchor>;
  getCertificate(parameters: GetCertificateParameters): ReturnType<typeof getCertificate>;
  getSubjectEvidence(parameters: GetSubjectEvidenceParameters): ReturnType<typeof getSubjectEvidence>;
  getHealth(): ReturnType<typeof getHealth>;
  getChainInfo(): ReturnType<typeof getChainInfo>;
  getTrustAnchor(): ReturnType<typeof getTrustAnchor>;
  getReceipt(parameters: GetReceiptParameters): ReturnType<typeof getReceipt>;
  getEscrow(parameters: GetEscrowParameters): ReturnType<typeof getEscrow>;
  signEscrowTerms(parameters: SignEscrowTermsParameters): ReturnType<typeof signEscrowTerms>;
  moveMilestone(parameters: MoveMilestoneParameters): ReturnType<typeof moveMilestone>;
}

/**
 * A client of the gateway's HTTP API with every action bound to it.
 *
 * @example
 * const client: GatewayClient = createGatewayClient({ baseUrl: "https://ledger.example.cn" });
 */
export type GatewayClient = GatewayClientBase & GatewayActions;

/**
 * Options of {@link createGatewayClient}.
 *
 * @example
 * const parameters: CreateGatewayClientParameters = { baseUrl: "https://ledger.example.cn", token: process.env.TTL_TOKEN };
 */
export interface CreateGatewayClientParameters {
  /** The gateway's base URL, e.g. `https://ledger.example.cn`. */
  baseUrl: string;
  /** A session token or a service credential, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** The `fetch` to use (a test double, a proxying fetch); the global one by default. */
  fetch?: typeof globalThis.fetch;
}
export type CreateGatewayClientReturnType = GatewayClient;

/**
 * Creates a client of the gateway's HTTP API for a party, a reviewer, an admin
 * or a platform service, with the actions bound as methods.
 *
 * @example
 * const client = createGatewayClient({ baseUrl: "https://ledger.example.cn" });
 * const { client: me, user } = await client.signIn({ signer: wallet });
 * const operator = createGatewayClient({ baseUrl, token: process.env.TTL_OPERATOR_TOKEN });
 */
export function createGatewayClient(parameters: CreateGatewayClientParameters): CreateGatewayClientReturnType {
  if (parameters === null || typeof parameters !== "object") {
    throw new InvalidArgumentError("createGatewayClient needs { baseUrl, token?, fetch? }");
  }
  const baseUrl = normaliseBaseUrl(parameters.baseUrl);
  const fetchImpl = parameters.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function") {
    throw new InvalidArgumentError("no fetch: pass one as `fetch`, or use Node 18 or later");
  }
  return build(baseUrl, checkToken(parameters.token), fetchImpl, []);
}

function build(
  baseUrl: string,
  token: string | undefined,
  fetchImpl: typeof globalThis.fetch,
  kept: EvidenceReceipt[],
): GatewayClient {
  const base: GatewayClientBase = {
    baseUrl,
    token,
    request: (method, path, body) => send(fetchImpl, baseUrl, token, method, path, body, kept),
    withToken: (next) => build(baseUrl, checkToken(next), fetchImpl, kept),
    receipts: () => [...kept],
  };
  return {
    ...base,
    requestChallenge: (p) => requestChallenge(base, p),
    signIn: (p) => signIn(base, p),
    register: (p) => register(base, p),
    getMe: () => getMe(base),
    getUser: (p) => getUser(base, p),
    listUsers: (p) => listUsers(base, p),
    submitCertification: (p) => submitCertification(base, p),
    decideCertification: (p) => decideCertification(base, p),
    setSuspended: (p) => setSuspended(base, p),
    grantRole: (p) => grantRole(base, p),
    revokeRole: (p) => revokeRole(base, p),
    rotateSigningKey: (p) => rotateSigningKey(base, p),
    setEncryptionRecipient: (p) => setEncryptionRecipient(base, p),
    recordEvidence: (p) => recordEvidence(base, p),
    getRecord: (p) => getRecord(base, p),
    waitForAnchor: (p) => waitForAnchor(base, p),
    getCertificate: (p) => getCertificate(base, p),
    getSubjectEvidence: (p) => getSubjectEvidence(base, p),
    getHealth: () => getHealth(base),
    getChainInfo: () => getChainInfo(base),
    getTrustAnchor: () => getTrustAnchor(base),
    getReceipt: (p) => getReceipt(base, p),
    getEscrow: (p) => getEscrow(base, p),
    signEscrowTerms: (p) => signEscrowTerms(base, p),
    moveMilestone: (p) => moveMilestone(base, p),
  };
}

function normaliseBaseUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
    throw new InvalidArgumentError("baseUrl must be an http(s) URL without query or fragment", {
      details: `got ${JSON.stringify(value)?.slice(0, 120)}`,
    });
  }
  return url.href.replace(/\/+$/, "");
}

function checkToken(token: unknown): string | undefined {
  if (token === undefined) return undefined;
  // A token goes into a header: no white space or control characters.
  if (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token)) {
    throw new InvalidArgumentError("token must be a non-empty string of visible ASCII characters");
  }
  return token;
}

async function send<T>(
  fetchImpl: typeof globalThis.fetch,
  baseUrl: string,
  token: string | undefined,
  method: HttpMethod,
  path: string,
  body: unknown,
  kept: EvidenceReceipt[],
): Promise<T> {
  if (typeof path !== "string" || !path.startsWith("/")) {
    throw new InvalidArgumentError("path must start with /", { details: `got ${JSON.stringify(path)}` });
  }
  const url = `${baseUrl}${path}`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";

  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    text = await response.text();
  } catch (error) {
    throw new GatewayUnreachableError(method, url, error);
  }

  kept.push(...receiptsFromHeader(response.headers.get(RECEIPTS_HEADER)));
  let json: unknown;
  let parseError: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    parseError = error;
  }

  if (!response.ok) {
    const answered = (json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new GatewayRequestError({
      status: response.status,
      code: typeof answered?.code === "string" ? answered.code : `HTTP_${response.status}`,
      message:
        typeof answered?.message === "string"
          ? answered.message
          : `the gateway answered ${response.status} ${response.statusText}`.trim(),
      method,
      path,
      retryAfterSeconds: response.headers.has("retry-after") && Number.isFinite(retryAfter) ? retryAfter : undefined,
      details: errorDetails(answered?.details),
    });
  }
  if (parseError) {
    throw new GatewayRequestError(
      {
        status: response.status,
        code: "INVALID_RESPONSE",
        message: "the gateway's answer is not JSON",
        method,
        path,
      },
      { cause: parseError },
    );
  }
  return json as T;
}

/** The gateway's `error.details`, kept only as far as it has the documented shape. */
function errorDetails(value: unknown): ErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((d): d is Record<string, unknown> => typeof d === "object" && d !== null)
    .map((d) => ({ path: String(d.path ?? ""), code: String(d.code ?? ""), message: String(d.message ?? "") }));
}
