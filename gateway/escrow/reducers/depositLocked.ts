import { asciiOf } from "../ascii";
import { fundEventOf } from "./common";
import type { EscrowReducer } from "./types";

/**
 * `DepositLocked`: the bank attested a deposit on the escrow. The fund row counts
 * the locked amount (and any excess to return), the bank's deposit report (if it
 * made one) becomes locked, and the bank is told by webhook.
 */
export const depositLocked: EscrowReducer = (event, holdings, recordId) => {
  const { agreement, milestone, deposit } = holdings;
  const bankRef = asciiOf(String(event.args.bankRef));
  const lock = {
    transactionHash: event.transactionHash,
    blockNumber: event.blockNumber,
    amount: Number(event.args.amount),
    excess: Number(event.args.excess),
  };
  return {
    fundEvent: fundEventOf(event, holdings, recordId, { locked: lock.amount, excess: lock.excess, bankRef }),
    deposit: deposit ? { ...deposit, status: "locked", lock } : undefined,
    webhooks: [
      {
        type: "deposit.locked",
        payload: { dealId: agreement.dealId, milestone, currency: agreement.currency, bankRef, ...lock },
      },
    ],
  };
};
