import { Wallet } from "ethers";
import type { UserRole } from "../../gateway/auth/roles";
import type { AccountType } from "../../gateway/identity/types";
import type { TestPlatform } from "./platform";

/** A valid X25519 recipient (from the age specification's examples). */
export const AGE_RECIPIENT = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

/** A valid PRC resident ID (GB 11643 check digit) for the `n`-th test person, born 1990-01-01 in Beijing. */
export function residentId(n: number): string {
  const body = `11010119900101${String(n % 1000).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + "10X98765432"[sum % 11];
}

/** The GB 11714 check character of an organisation code's eight body characters (A = 10 … Z = 35). */
export function organisationCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const check = 11 - ([...body8].reduce((total, char, i) => total + parseInt(char, 36) * weights[i], 0) % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

/**
 * A valid unified social credit code for the `n`-th test organisation: its organisation code
 * (characters 9–17) carries its GB 11714 check character, and the whole its GB 32100 one.
 */
export function creditCode(n: number): string {
  const organisation = `MA${String(n % 1e6).padStart(6, "0")}`;
  return creditCodeWithOrganisation(`${organisation}${organisationCheck(organisation)}`);
}

/**
 * A credit code of a market-regulation registration in Kunming around the nine characters
 * `organisation` (its own check character included or not), with a correct GB 32100 check character.
 */
export function creditCodeWithOrganisation(organisation: string): string {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = `91530100${organisation}`;
  const sum = [...body].reduce((total, char, i) => total + alphabet.indexOf(char) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

/** A minimal PDF: what a licence scan looks like to the media-type check. */
export const LICENCE_PDF = Buffer.from("%PDF-1.4\n% test licence\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

// Document numbers must be unique within a store; a counter from a random start keeps them so.
let people = Math.floor(Math.random() * 400);

export interface TestUser {
  id: string;
  wallet: Wallet;
  token: string;
}

/**
 * A user made through the services (fast), optionally certified and holding
 * `roles`, with a session token as sign-in would give.
 */
export async function makeUser(
  t: TestPlatform,
  {
    type = "individual",
    roles = [],
    certified = true,
  }: { type?: AccountType; roles?: UserRole[]; certified?: boolean } = {},
): Promise<TestUser> {
  const { users, sessions } = t.platform;
  const wallet = new Wallet(Wallet.createRandom().privateKey);
  const n = ++people;
  const user = await users.register(
    { type, names: { zh: `测试用户${n}`, en: `Test user ${n}` }, encryptionRecipient: AGE_RECIPIENT },
    wallet.address,
  );
  for (const role of roles) {
    await users.grantRole(user.id, role, role === "broker" || role === "manager" ? `CERT-${n}` : undefined, "setup");
  }
  if (certified) {
    if (type === "individual") {
      await users.submitCertification(user.id, { kind: "resident-id", name: `测试${n}`, number: residentId(n) });
    } else {
      await users.submitCertification(
        user.id,
        { kind: "credit-code", name: `测试公司${n}`, number: creditCode(n), legalRepresentative: "张三" },
        { name: "licence.pdf", mediaType: "application/pdf", bytes: LICENCE_PDF },
      );
    }
    await users.decideCertification(user.id, { approved: true }, "setup-reviewer");
  }
  return { id: user.id, wallet, token: sessions.issue(user.id, wallet.address).token };
}
