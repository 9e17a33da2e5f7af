import type { Principal } from "../auth/roles";
import { activeKey, type AccountStatus, type User } from "./types";
import { holdsAny, IDENTITY_READERS } from "../auth/policy";

/** Masks all but the first three and last two characters of a document number. */
const mask = (number: string) =>
  `${number.slice(0, 3)}${"*".repeat(Math.max(0, number.length - 5))}${number.slice(-2)}`;

/**
 * What the API shows of a user to `viewer`: everything to the user, reviewers
 * and admins; document numbers masked to others who may read the account (auditors).
 */
export function userView(user: User, viewer: Principal | undefined, otherClaims?: OtherClaim[]) {
  const full = viewer?.id === user.id || holdsAny(viewer, IDENTITY_READERS);
  const certification = user.certification && {
    ...user.certification,
    ...(otherClaims && isReviewer(viewer) ? { otherClaims } : {}),
    identity: full
      ? user.certification.identity
      : { ...user.certification.identity, number: mask(user.certification.identity.number) },
  };
  return {
    id: user.id,
    type: user.type,
    names: user.names,
    status: user.status,
    suspensionReason: user.suspensionReason,
    certified: user.status === "certified",
    certification,
    signingAddress: activeKey(user.signingKeys),
    encryptionRecipient: activeKey(user.encryptionKeys),
    signingKeys: user.signingKeys,
    encryptionKeys: user.encryptionKeys,
    roles: user.roles,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export type UserView = ReturnType<typeof userView>;

/** Another account that submitted the same document number (see {@link reviewView}). */
export interface OtherClaim {
  userId: string;
  status: AccountStatus;
}

const isReviewer = (viewer: Principal | undefined) => holdsAny(viewer, IDENTITY_READERS);

/**
 * {@link userView}, and for reviewers, admins and operators also
 * `certification.otherClaims`: the other accounts that claim the same document
 * number, so that a reviewer deciding on one sees the squatter or the real holder.
 */
export async function reviewView(
  user: User,
  viewer: Principal | undefined,
  users: { otherClaimants(user: User): Promise<OtherClaim[]> },
) {
  return userView(user, viewer, isReviewer(viewer) ? await users.otherClaimants(user) : undefined);
}
