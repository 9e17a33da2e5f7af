// The certified accounts the demos start from, made through the gateway's API
// as people would make them: register with a key, submit certification, get
// approved by a reviewer, sign in.
import { randomInt } from "node:crypto";
import { Wallet } from "ethers";
import type { GatewayClient } from "../../sdk";

/** An age recipient for the demo accounts' encrypted deliveries. */
export const RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

/**
 * A valid unified social credit code with a random serial: `prefix` (registration authority,
 * category and division code, 8 characters) and "M" + 7 digits as the organisation code's body,
 * with its GB 11714 check character, then the GB 32100 check character.
 */
export function creditCode(prefix = "12530000"): string {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const organisationBody = `M${String(randomInt(0, 1e7)).padStart(7, "0")}`;
  const organisationSum = [...organisationBody].reduce(
    (total, char, i) => total + parseInt(char, 36) * [3, 7, 9, 10, 5, 8, 4, 2][i],
    0,
  );
  const organisationCheck = 11 - (organisationSum % 11);
  const body = `${prefix}${organisationBody}${organisationCheck === 10 ? "X" : organisationCheck === 11 ? "0" : organisationCheck}`;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body].reduce((total, char, i) => total + alphabet.indexOf(char) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

/** A certified account holding `role`, signed in; `recipient` is where it receives encrypted deliveries. */
export async function account(
  gateway: GatewayClient,
  operator: GatewayClient,
  reviewer: GatewayClient,
  role: "supplier" | "demander" | "reviewer" | "arbitrator" | "broker" | "manager" | "evaluator",
  names: Record<string, string>,
  foreign = false,
  recipient = RECIPIENT,
  /** A broker's (技术经纪人) or manager's (技术经理人) professional certificate number. */
  certificateNumber?: string,
) {
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({
    signer: wallet,
    type:
      role === "reviewer" ? "individual" : role === "supplier" || role === "arbitrator" ? "institute" : "enterprise",
    names,
    encryptionRecipient: recipient,
  });
  await operator.grantRole({ userId: user.id, role, ...(certificateNumber && { certificateNumber }) });
  if (role !== "reviewer") {
    const me = (await gateway.signIn({ signer: wallet })).client;
    const pdf = new TextEncoder().encode("%PDF-1.4\n% licence (demo)\n%%EOF\n");
    const identity = foreign
      ? {
          kind: "foreign-registration" as const,
          name: names.en,
          number: `0105${randomInt(1e8, 1e9)}`,
          country: "TH",
          legalRepresentative: "Somchai P.",
        }
      : { kind: "credit-code" as const, name: names.zh, number: creditCode(), legalRepresentative: "李明" };
    await me.submitCertification({
      userId: user.id,
      identity,
      licence: { name: "licence.pdf", mediaType: "application/pdf", bytes: pdf },
    });
    await reviewer.decideCertification({ userId: user.id, approved: true });
  }
  return { ...(await gateway.signIn({ signer: wallet })), wallet };
}
