import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import {
  createGatewayClient,
  ESCROW_ACTION_TYPES,
  ESCROW_ACTIONS,
  signRequest,
  statementDigest,
  ZERO_HASH,
  type EscrowActionName,
  type ListingContent,
} from "../../sdk";
import type { TestUser } from "./identity";
import { pvRecyclingSupply, solarRecyclingDemand } from "./listings";
import { client, eventually, type TestPlatform } from "./platform";

const as = (t: TestPlatform, user?: TestUser) => client(t.url, user?.token);

/** A deal between `supplier` and `demander`, opened by a confirmed match of two fresh listings (through the SDK). */
export async function openDeal(t: TestPlatform, supplier: TestUser, demander: TestUser, reviewer: TestUser) {
  const sdk = (user: TestUser) => createGatewayClient({ baseUrl: t.url, token: user.token });
  const publish = async (owner: TestUser, content: Record<string, unknown>) => {
    const created = await sdk(owner).createListing({ content: content as ListingContent });
    await sdk(reviewer).reviewListing({ listingId: created.id, approved: true });
    return created.id;
  };
  const supplyId = await publish(supplier, pvRecyclingSupply());
  const demandId = await publish(demander, solarRecyclingDemand());
  const match = await sdk(demander).proposeMatch({ supplyId, demandId });
  await sdk(demander).answerMatch({ matchId: match.id, accept: true });
  const { deal } = await sdk(supplier).answerMatch({ matchId: match.id, accept: true });
  return deal!;
}

/** Waits until the account registry on chain lists every user's key (the escrow checks it). */
export async function certifiedOnChain(t: TestPlatform, ...users: TestUser[]) {
  for (const user of users) {
    await eventually(
      async () => ((await t.platform.chain.accounts.isCertified(user.wallet.address)) ? true : undefined),
      20_000,
      `${user.id} certified on chain`,
    );
  }
}

/** Terms both parties propose and sign; answers the escrow once on chain. */
export async function agreeTerms(
  t: TestPlatform,
  deal: { id: string },
  supplier: TestUser,
  demander: TestUser,
  terms: Record<string, unknown>,
) {
  const proposed = await as(t, demander)("POST", `/v1/deals/${deal.id}/terms`, terms);
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
  // Each party signs with the SDK's action, as an integrator would.
  for (const party of [supplier, demander]) {
    await createGatewayClient({ baseUrl: t.url, token: party.token }).signEscrowTerms({
      dealId: deal.id,
      signer: party.wallet,
    });
  }
  const escrow = await as(t, demander)("GET", `/v1/deals/${deal.id}/escrow`);
  expect(escrow.body.status).toBe("created");
  return escrow.body;
}

/** Signs and makes a move, as the SDK's documentation tells a party to. */
export async function move(
  t: TestPlatform,
  user: TestUser,
  dealId: string,
  milestone: number,
  action: EscrowActionName,
  extra: {
    statement?: {
      text: string;
      files?: Array<{ name: string; recipients?: string[] } & ({ bytes: Buffer } | { uploaded: string })>;
    };
    release?: number;
    refund?: number;
  } = {},
) {
  const escrow = (await as(t, user)("GET", `/v1/deals/${dealId}/escrow`)).body;
  const data = extra.statement
    ? statementDigest({
        ...extra.statement,
        files: extra.statement.files?.map((file) =>
          "uploaded" in file ? { name: file.name, sha256: file.uploaded, recipients: file.recipients } : file,
        ),
      })
    : ZERO_HASH;
  const signature = await user.wallet.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
    dealId: escrow.chainDealId,
    milestone,
    action: ESCROW_ACTIONS[action].action,
    data,
    release: extra.release ?? 0,
    refund: extra.refund ?? 0,
    nonce: escrow.milestones[milestone].nonce,
  });
  return as(t, user)("POST", `/v1/deals/${dealId}/milestones/${milestone}/moves`, {
    action,
    signature,
    ...(extra.statement
      ? {
          statement: {
            text: extra.statement.text,
            files: extra.statement.files?.map((file) => ({
              name: file.name,
              mediaType: "application/octet-stream",
              ...("uploaded" in file ? { uploaded: file.uploaded } : { contentBase64: file.bytes.toString("base64") }),
              ...(file.recipients ? { recipients: file.recipients } : {}),
            })),
          },
        }
      : {}),
    ...(extra.release !== undefined ? { release: extra.release, refund: extra.refund } : {}),
  });
}

/** A data folder for the bank client: its signing credentials and its chain key. */
export async function bankFolder(t: TestPlatform): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ttl-bank-"));
  const issued = await t.platform.credentials.createSigningKey({ label: "test bank", roles: ["bank"] });
  await writeFile(path.join(dir, "bank-credentials.json"), JSON.stringify(issued), { mode: 0o600 });
  await writeFile(path.join(dir, "bank.key"), `${t.bankKey}\n`, { mode: 0o600 });
  return dir;
}

const BANK_CLIENT = path.resolve(__dirname, "../../scripts/bank-client.ts");

/** Runs one command of the bank client program to its end; answers its exit code and output. */
export function runBank(t: TestPlatform, dir: string, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", BANK_CLIENT, ...args, "--gateway", t.url, "--data-dir", dir, "--rpc", t.chain.rpcUrl],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Starts the bank client's `serve` as its own process; resolves once it listens for webhooks. */
export async function serveBank(
  t: TestPlatform,
  dir: string,
  extra: string[] = [],
): Promise<{ process: ChildProcess; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      BANK_CLIENT,
      "serve",
      "--port",
      "0",
      "--gateway",
      t.url,
      "--data-dir",
      dir,
      "--rpc",
      t.chain.rpcUrl,
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  await eventually(
    async () => (output.includes('"listening"') ? true : undefined),
    30_000,
    `the bank client to listen:\n${output}`,
  );
  return {
    process: child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * A client that signs each request with the bank's key, as a bank system sends
 * it, with an Idempotency-Key on writes (a fresh one unless given).
 */
export function signedBankClient(base: string, credentials: () => { keyId: string; secret: string }) {
  return async (method: string, pathname: string, body?: unknown, key = `k-${Math.random()}`) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    return client(base)(method, pathname, text || undefined, {
      ...signRequest({ ...credentials(), method, path: pathname, body: text }),
      ...(method === "GET" ? {} : { "idempotency-key": key }),
    });
  };
}
