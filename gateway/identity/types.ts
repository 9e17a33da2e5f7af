import type { AccountStatus, AccountType, Certification, HeldKey, RoleGrant } from "tech-transfer-ledger/sdk";

// The shapes an account shows through the API are the SDK's (sdk/client/types.ts):
// one definition for the gateway that writes them and the clients that read them.
export {
  ACCOUNT_TYPES,
  type AccountStatus,
  type AccountType,
  type Certification,
  type HeldKey,
  type Identity,
  type RoleGrant,
} from "tech-transfer-ledger/sdk";

export interface User {
  id: string;
  type: AccountType;
  /** Names by language tag (`zh`, `en`, …); at least one. */
  names: Record<string, string>;
  status: AccountStatus;
  /** The status to return to when a suspension is lifted. */
  statusBeforeSuspension?: AccountStatus;
  suspensionReason?: string;
  certification?: Certification;
  signingKeys: HeldKey[];
  encryptionKeys: HeldKey[];
  roles: RoleGrant[];
  createdAt: string;
  updatedAt: string;
}

/** The key a user signs with now. */
export const activeKey = (keys: HeldKey[]): string | undefined => keys.find((key) => !key.until)?.value;

/** Subject of a user's evidence records. */
export const userSubject = (userId: string) => `user:${userId}`;
