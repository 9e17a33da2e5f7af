// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IDealEscrow} from "../interfaces/IDealEscrow.sol";

/// @title A milestone of the escrow: its storage, its guards and its transitions
/// @notice The one place that knows how a milestone is stored and how it may move: a state change
/// always counts a move (which retires every signature made for the old nonce), a standing
/// instruction's amounts are derived from its state, and a finished milestone reads as the
/// instruction it executed.
/// @dev Internal functions only, so they are inlined into the escrow: no linking, no call overhead.
/// Guards take the state as a value the caller already loaded, so a move reads the milestone's
/// first slot once.
library Milestones {
    // ─── Types ───────────────────────────────────────────────────────────────

    /// @dev Times are `uint48` (as in OpenZeppelin's governance contracts: good for millions of years)
    /// so that the move counter gets 32 bits in the first slot: a 16-bit counter could be run out by
    /// a party sending settlement proposals in a loop, which costs nothing at gas price zero.
    struct Milestone {
        // slot 0: besides the delivery digest, the only slot the usual path touches
        uint96 amount;
        uint48 deadline;
        uint48 timer;
        IDealEscrow.State state;
        uint8 changeRounds;
        uint32 nonce;
        uint8 flags;
        // slot 1: disputes and failed instructions
        uint96 release;
        uint32 failures;
        // slot 2
        bytes32 deliveryDigest;
    }

    // ─── Constants ───────────────────────────────────────────────────────────

    /// @dev `flags`: which party's settlement proposal stands (two bits), whether the ruling was
    /// appealed, whether the bank reported the standing instruction failed.
    uint8 internal constant PROPOSED_BY_SUPPLIER = 1;
    uint8 internal constant PROPOSED_BY_DEMANDER = 2;
    uint8 internal constant PROPOSER_MASK = 3;
    uint8 internal constant APPEALED = 4;
    uint8 internal constant FAILED = 8;

    // ─── Transitions ─────────────────────────────────────────────────────────

    /// @dev Moves the milestone to `next` and counts the move.
    function transition(Milestone storage ms, IDealEscrow.State next) internal {
        ms.state = next;
        useNonce(ms);
    }

    /// @dev Counts a move that keeps the state (a proposal, a failure report, a reissue), so that a
    /// signature made before it can no longer be used.
    function useNonce(Milestone storage ms) internal {
        // Checked: a counter that ran out must stop the milestone rather than wrap to reusable nonces.
        ++ms.nonce;
    }

    // ─── Guards ──────────────────────────────────────────────────────────────

    /// @dev Reverts unless the milestone is in `expected`.
    function requireState(
        bytes32 dealId,
        uint8 milestone,
        IDealEscrow.State current,
        IDealEscrow.State expected
    ) internal pure {
        if (current != expected) revert IDealEscrow.DealEscrowInvalidState(dealId, milestone, current);
    }

    /// @dev Reverts unless the milestone is in a dispute the parties may still settle.
    function requireDisputed(bytes32 dealId, uint8 milestone, IDealEscrow.State current) internal pure {
        if (current != IDealEscrow.State.Disputed && current != IDealEscrow.State.Arbitration) {
            revert IDealEscrow.DealEscrowInvalidState(dealId, milestone, current);
        }
    }

    /// @dev Reverts unless both parties may still cancel: the milestone is `Pending` to `Ruled`.
    function requireCancellable(bytes32 dealId, uint8 milestone, IDealEscrow.State current) internal pure {
        if (current < IDealEscrow.State.Pending || current > IDealEscrow.State.Ruled) {
            revert IDealEscrow.DealEscrowInvalidState(dealId, milestone, current);
        }
    }

    /// @dev Returns the standing instruction's kind, or reverts when none stands.
    function requireInstruction(
        Milestone storage ms,
        bytes32 dealId,
        uint8 milestone
    ) internal view returns (IDealEscrow.State state) {
        state = ms.state;
        if (!isInstruction(state)) revert IDealEscrow.DealEscrowInvalidState(dealId, milestone, state);
    }

    /// @dev The period (delivery, inspection, ruling, appeal) is over: the clock is past `ends`.
    function requireLapsed(bytes32 dealId, uint8 milestone, uint256 ends, uint256 now_) internal pure {
        // `ends` is the last second of the period, so the move opens strictly after it.
        // solhint-disable-next-line gas-strict-inequalities
        if (now_ <= ends) revert IDealEscrow.DealEscrowTooEarly(dealId, milestone, ends, now_);
    }

    /// @dev The running period (inspection, ruling, appeal) is still open: the clock is not past `ends`.
    function requireNotLapsed(bytes32 dealId, uint8 milestone, uint48 ends, uint256 now_) internal pure {
        if (now_ > ends) revert IDealEscrow.DealEscrowTooLate(dealId, milestone, ends, now_);
    }

    /// @dev `release` plus `refund` is exactly the locked amount.
    function requireExactSplit(
        bytes32 dealId,
        uint8 milestone,
        uint96 locked,
        uint96 release,
        uint96 refund
    ) internal pure {
        if (uint256(release) + refund != locked) {
            revert IDealEscrow.DealEscrowSplitMismatch(dealId, milestone, locked, release, refund);
        }
    }

    // ─── Reads ───────────────────────────────────────────────────────────────

    /// @dev Whether `state` is an instruction waiting for the bank.
    function isInstruction(IDealEscrow.State state) internal pure returns (bool) {
        return
            state == IDealEscrow.State.Releasing ||
            state == IDealEscrow.State.Refunding ||
            state == IDealEscrow.State.Splitting;
    }

    /// @dev The instruction a final state executed, or `None` for a state that executed none
    /// (`Cancelled`, and every state that is not final).
    function executedInstruction(IDealEscrow.State state) internal pure returns (IDealEscrow.State) {
        if (state == IDealEscrow.State.Released) return IDealEscrow.State.Releasing;
        if (state == IDealEscrow.State.Refunded) return IDealEscrow.State.Refunding;
        if (state == IDealEscrow.State.Split) return IDealEscrow.State.Splitting;
        return IDealEscrow.State.None;
    }

    /// @dev What the instruction `kind` pays to each side: the whole amount for `Releasing` and
    /// `Refunding`; the stored split for `Splitting`, and for a proposal or ruling in any other state.
    function instructionOf(
        Milestone storage ms,
        IDealEscrow.State kind
    ) internal view returns (uint96 release, uint96 refund) {
        uint96 amount = ms.amount;
        if (kind == IDealEscrow.State.Releasing) return (amount, 0);
        if (kind == IDealEscrow.State.Refunding) return (0, amount);
        release = ms.release;
        // Cannot underflow: every stored release was checked to be part of an exact split of the amount.
        unchecked {
            refund = amount - release;
        }
    }

    /// @dev The proposer flag of the standing settlement proposal; 0 when none.
    function proposer(Milestone storage ms) internal view returns (uint8) {
        return ms.flags & PROPOSER_MASK;
    }

    /// @dev The milestone as {IDealEscrow-milestoneOf} shows it; `supplier` and `demander` name the
    /// proposer.
    function toView(
        Milestone storage ms,
        address supplier,
        address demander
    ) internal view returns (IDealEscrow.Milestone memory view_) {
        IDealEscrow.State state = ms.state;
        uint96 amount = ms.amount;
        uint8 flags = ms.flags;
        view_.state = state;
        view_.amount = amount;
        view_.deadline = ms.deadline;
        view_.timer = ms.timer;
        view_.changeRounds = ms.changeRounds;
        view_.nonce = ms.nonce;
        view_.appealed = flags & APPEALED != 0;
        view_.instructionFailed = flags & FAILED != 0;
        view_.failures = ms.failures;
        view_.deliveryDigest = ms.deliveryDigest;
        if (state > IDealEscrow.State.Pending && state < IDealEscrow.State.Cancelled) view_.locked = amount;

        uint8 proposedBy = flags & PROPOSER_MASK;
        if (proposedBy != 0) view_.proposer = proposedBy == PROPOSED_BY_SUPPLIER ? supplier : demander;

        IDealEscrow.State executed = executedInstruction(state);
        if (executed != IDealEscrow.State.None) {
            (view_.release, view_.refund) = instructionOf(ms, executed);
            (view_.released, view_.refunded) = (view_.release, view_.refund);
        } else if (proposedBy != 0 || state == IDealEscrow.State.Ruled || isInstruction(state)) {
            (view_.release, view_.refund) = instructionOf(ms, state);
        }
    }
}
