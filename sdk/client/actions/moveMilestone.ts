import { ESCROW_ACTIONS, type EscrowActionName } from "../../escrow/actions";
import { statementDigest, type Statement } from "../../escrow/statementDigest";
import { ESCROW_ACTION_TYPES } from "../../escrow/typedData";
import { ZERO_HASH } from "../../evidence/bytes";
import { toBase64 } from "../encoding";
import type { GatewayClientBase } from "../createGatewayClient";
import { assertDealId, assertOneOf, assertTypedDataSigner, type TypedDataSigner } from "../assert";
import type { EscrowMilestoneView, EscrowView } from "../types";

export interface MoveMilestoneParameters {
  dealId: string;
  milestone: number;
  action: EscrowActionName;
  /** The mover's signing key: the supplier, the demander or the arbitrator named in the terms. */
  signer: TypedDataSigner;
  /** For moves that carry one: a delivery, a change request, a dispute's reasons, a ruling, an appeal. */
  statement?: Omit<Statement, "files"> & { files?: MoveFile[] };
  /** For settlements and rulings: minor units to the supplier and back to the demander. */
  release?: number;
  refund?: number;
}
/**
 * A file of a move's statement: its bytes, or (a delivery's large ciphertext) the
 * SHA-256 of a file uploaded with `uploadDeliveryFile`. A delivered file names the
 * age recipients it is encrypted to; the signed digest binds them.
 */
export type MoveFile = { name: string; mediaType?: string; recipients?: string[] } & (
  { bytes: Uint8Array } | { uploaded: string }
);

export interface MoveMilestoneReturnType {
  /** The move's evidence record and transaction; absent while a cancellation waits for the other party. */
  move?: { recordId: string; transactionHash?: string };
  waitingFor?: string;
  milestone: EscrowMilestoneView;
}

/**
 * Makes a move on a milestone: reads the milestone's nonce, signs EIP-712
 * `MilestoneAction` (with `statementDigest(statement)` as its data) with the
 * mover's own key, and hands it to the gateway, which relays it to the escrow
 * (POST /v1/deals/:id/milestones/:m/moves).
 *
 * @example
 * await me.moveMilestone({ dealId, milestone: 0, action: "deliver", signer: wallet,
 *   statement: { text: "Process package v1.0", files: [{ name: "package.age", bytes: sealed, recipients: [demander] }] } });
 * await buyer.moveMilestone({ dealId, milestone: 0, action: "accept", signer: buyerWallet });
 */
export async function moveMilestone(
  client: GatewayClientBase,
  parameters: MoveMilestoneParameters,
): Promise<MoveMilestoneReturnType> {
  const { dealId, milestone, action, signer, statement, release, refund } = parameters ?? {};
  assertDealId(dealId);
  assertOneOf(action, Object.keys(ESCROW_ACTIONS) as EscrowActionName[], "action");
  assertTypedDataSigner(signer, "signer");
  const escrow = await client.request<EscrowView>("GET", `/v1/deals/${dealId}/escrow`);
  const current = escrow.milestones[milestone];
  if (!current) throw new RangeError(`the deal has ${escrow.milestones.length} milestones, numbered from 0`);
  const signature = await signer.signTypedData(escrow.actionTypes.domain, ESCROW_ACTION_TYPES, {
    dealId: escrow.chainDealId,
    milestone,
    action: ESCROW_ACTIONS[action].action,
    data: statement
      ? statementDigest({
          ...statement,
          files: statement.files?.map((file) =>
            "uploaded" in file ? { name: file.name, sha256: file.uploaded, recipients: file.recipients } : file,
          ),
        })
      : ZERO_HASH,
    release: release ?? 0,
    refund: refund ?? 0,
    nonce: current.nonce,
  });
  return client.request<MoveMilestoneReturnType>("POST", `/v1/deals/${dealId}/milestones/${milestone}/moves`, {
    action,
    signature,
    ...(statement
      ? {
          statement: {
            text: statement.text,
            ...(statement.records ? { records: statement.records } : {}),
            ...(statement.files
              ? {
                  files: statement.files.map((file) => ({
                    name: file.name,
                    mediaType: file.mediaType ?? "application/octet-stream",
                    ...("uploaded" in file ? { uploaded: file.uploaded } : { contentBase64: toBase64(file.bytes) }),
                    ...(file.recipients ? { recipients: file.recipients } : {}),
                  })),
                }
              : {}),
          },
        }
      : {}),
    ...(release !== undefined || refund !== undefined ? { release: release ?? 0, refund: refund ?? 0 } : {}),
  });
}
