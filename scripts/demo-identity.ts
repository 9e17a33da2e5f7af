// `npm run demo:identity`, with `npm start` running: the newcomer's tour of clause
// 6.2 through the SDK client. It registers an enterprise and an individual,
// makes a reviewer, has both certified, signs in with keys, checks the on-chain
// list of certified accounts, and shows forbidden actions refused.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (for operator.key).
import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import { createGatewayClient, GatewayRequestError, verifyCertificate } from "../sdk";
import { creditCode as demoCreditCode } from "./lib/demoAccounts";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const step = (text: string) => console.log(`\n▶ ${text}`);
const ok = (text: string) => console.log(`  ✓ ${text}`);

/** A valid resident ID (GB 11643 check digit) with a random sequence, so each run has its own. */
function residentId(): string {
  const body = `530102198807${String(randomInt(10, 29))}${String(randomInt(0, 1000)).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return body + "10X98765432"[[...body].reduce((sum, digit, i) => sum + Number(digit) * weights[i], 0) % 11];
}

/** A valid unified social credit code of a market-regulation registration in Kunming (9 1 530100). */
const creditCode = () => demoCreditCode("91530100");

/** Runs a forbidden action and shows the refusal; fails the demo if it was allowed. */
async function refused(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (error instanceof GatewayRequestError) {
      ok(`${what}: refused, ${error.status} ${error.code}: ${error.shortMessage}`);
      return;
    }
    throw error;
  }
  throw new Error(`${what} was allowed`);
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR ?? "./data");
  const operatorToken = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);

  step("Register an enterprise and an individual, each with its own key");
  const companyKey = new Wallet(Wallet.createRandom().privateKey);
  const company = await gateway.register({
    signer: companyKey,
    type: "enterprise",
    names: { zh: "昆明光伏材料科技有限公司", en: "Kunming PV Materials Technology Co., Ltd." },
    encryptionRecipient: RECIPIENT,
  });
  ok(`enterprise ${company.user.id}, key ${companyKey.address}, status ${company.user.status}`);
  const personKey = new Wallet(Wallet.createRandom().privateKey);
  const person = await gateway.register({
    signer: personKey,
    type: "individual",
    names: { zh: "李云", en: "Li Yun" },
    encryptionRecipient: RECIPIENT,
  });
  ok(`individual ${person.user.id}, key ${personKey.address}`);

  step("Submit real-name certification");
  const pdf = new TextEncoder().encode("%PDF-1.4\n% 营业执照 (demo)\n%%EOF\n");
  const code = creditCode();
  await company.client.submitCertification({
    userId: company.user.id,
    identity: { kind: "credit-code", name: "昆明光伏材料科技有限公司", number: code, legalRepresentative: "张明" },
    licence: { name: "营业执照.pdf", mediaType: "application/pdf", bytes: pdf },
  });
  ok(`enterprise: unified social credit code ${code} and licence, pending review`);
  await person.client.submitCertification({
    userId: person.user.id,
    identity: { kind: "resident-id", name: "李云", number: residentId() },
  });
  ok("individual: resident ID, pending review");
  await refused("a resident ID with a wrong check digit", () =>
    person.client.submitCertification({
      userId: person.user.id,
      identity: { kind: "resident-id", name: "李云", number: "530102198807150011" },
    }),
  );

  step("The operator makes a reviewer; the reviewer signs in with a key and approves both");
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const reviewerAccount = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员", en: "Reviewer" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: reviewerAccount.user.id, role: "reviewer" });
  const reviewer = await gateway.signIn({ signer: reviewerKey });
  ok(`reviewer ${reviewer.user.id} signed in`);
  const pending = await reviewer.client.listUsers({ status: "pending_review" });
  ok(`${pending.users.length} account(s) waiting for review`);
  for (const account of [company.user, person.user]) {
    const decided = await reviewer.client.decideCertification({ userId: account.id, approved: true });
    ok(`${decided.names.zh ?? decided.names.en}: ${decided.status}`);
  }

  step("Sign in again with the keys");
  const companySession = await gateway.signIn({ signer: companyKey });
  const personSession = await gateway.signIn({ signer: personKey });
  ok(
    `enterprise certified: ${(await companySession.client.getMe()).certified}; individual certified: ${(await personSession.client.getMe()).certified}`,
  );
  for (let i = 0; i < 50; i++) {
    const health = await gateway.getHealth();
    if (health.accounts?.inSync) {
      ok("the on-chain account registry lists the certified keys (GET /health: accounts in sync)");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  step("Forbidden actions are refused");
  await refused("anonymous GET /v1/users/me", () => gateway.getMe());
  await refused("the individual reads the enterprise's account", () =>
    personSession.client.getUser({ userId: company.user.id }),
  );
  await refused("the individual approves a certification", () =>
    personSession.client.decideCertification({ userId: company.user.id, approved: true }),
  );
  await refused("the individual grants itself admin", () =>
    personSession.client.grantRole({ userId: person.user.id, role: "admin" }),
  );
  await refused("the enterprise changes the individual's keys", () =>
    companySession.client.setEncryptionRecipient({ userId: person.user.id, recipient: RECIPIENT }),
  );
  await refused("the reviewer approves its own account", () =>
    reviewer.client.decideCertification({ userId: reviewer.user.id, approved: true }),
  );
  await refused("an altered session token", () => gateway.withToken(`${companySession.token.slice(0, -2)}xx`).getMe());
  await refused("the enterprise reads the individual's evidence", () =>
    companySession.client.getSubjectEvidence({ subject: `user:${person.user.id}` }),
  );

  step("The enterprise verifies the certificate of its own certification decision");
  const chain = await companySession.client.getSubjectEvidence({ subject: `user:${company.user.id}` });
  const decision = chain.records.find((record) => record.kind === "user.certification.decided")!;
  const anchored = await companySession.client.waitForAnchor({ id: decision.id });
  const certificate = await companySession.client.getCertificate({ id: anchored.id });
  const chainInfo = await gateway.getChainInfo();
  const result = await verifyCertificate(certificate, {
    rpcUrl: chainInfo.rpcUrl,
    // The operator's own demo trusts its own gateway's anchor; a party builds its own (docs/CERTIFICATE.md).
    trust: await operator.getTrustAnchor(),
  });
  ok(
    `certificate of record ${decision.id}: ${result.valid ? `valid, anchored at ${result.anchoredAt}` : `INVALID ${result.code}`}`,
  );
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
