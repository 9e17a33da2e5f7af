// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccountRegistry} from "./interfaces/IAccountRegistry.sol";
import {IDealEscrow} from "./interfaces/IDealEscrow.sol";
import {DealTerms} from "./libraries/DealTerms.sol";
import {Milestones} from "./libraries/Milestones.sol";
import {DealEscrowBase} from "./escrow/DealEscrowBase.sol";
import {DealEscrowDisputes} from "./escrow/DealEscrowDisputes.sol";

/// @title DealEscrow
/// @notice Milestone escrow of technology-transfer deals whose money the supervising bank holds:
/// records the bank's attestations and the parties' signed moves, and lets each milestone move only
/// by the right actor at the right time.
/// @dev Uses no chain-specific feature and no value transfer, so it runs on any EVM chain,
/// including permissioned ones at gas price zero. Compiled for `paris`.
///
/// Built, as OpenZeppelin and Uniswap v4 build theirs, from parts that each do one thing:
/// - {PausableClock}: pause, and the clock that stops while paused (deadlines move later);
/// - {RelayedSignatures}: the EIP-712 domain and the recovery of a relayed move's signer;
/// - {Milestones}: a milestone's storage, guards and transitions (internal library);
/// - {DealTerms}: the work of `createDeal` (linked library, deployed once and called by
///   `DELEGATECALL`: it runs once per deal, so its call costs little, and the escrow's code stays
///   within 75% of the EIP-170 limit);
/// - {DealEscrowBase}: roles, storage, and the steps every move shares;
/// - {DealEscrowDisputes}: the dispute extension (objection, settlement, ruling, appeal);
/// - this contract: creation, deposit, delivery and inspection, cancellation, the bank's
///   confirmations, pause, and reads.
///
/// `BANK_ROLE` is administered by itself, not by the platform's admin: the bank appoints and
/// rotates its own keys, so the platform cannot make up a bank attestation. `ARBITRATION_ROLE`
/// likewise: only the arbitration institution appoints who may replace an arbitrator.
contract DealEscrow is DealEscrowDisputes {
    using Milestones for Milestones.Milestone;

    // ─── Constants ───────────────────────────────────────────────────────────

    /// @notice EIP-712 type hash of the terms both parties sign.
    bytes32 public constant TERMS_TYPEHASH = DealTerms.TYPEHASH;

    // ─── Constructor ─────────────────────────────────────────────────────────

    /// @param admin    Account that administers roles (the platform operator's governance key); also pauser.
    /// @param accounts The account registry whose certified accounts may be parties.
    /// @param operator First account allowed to create deals and relay (the gateway's key); may be zero.
    /// @param bank     First account of the supervising bank; it administers `BANK_ROLE` from then on.
    /// @param arbitrationBody First key of the arbitration institution; it administers `ARBITRATION_ROLE`
    ///        from then on. May be zero: then no arbitrator can ever be replaced on this escrow.
    constructor(
        address admin,
        IAccountRegistry accounts,
        address operator,
        address bank,
        address arbitrationBody
    ) DealEscrowBase(admin, accounts, operator, bank, arbitrationBody) {}

    // ─── External writes: creation and deposit ───────────────────────────────

    /// @inheritdoc IDealEscrow
    function createDeal(
        Terms calldata terms,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        bytes32 digest = DealTerms.create(
            _deals,
            _milestones,
            terms,
            supplierSignature,
            demanderSignature,
            DealTerms.Context(_domainSeparator(), _ACCOUNTS, _pausedSoFar())
        );
        emit DealCreated(
            terms.dealId,
            terms.supplier,
            terms.demander,
            terms.arbitrator,
            terms.contractDigest,
            terms.currency,
            uint8(terms.amounts.length),
            digest
        );
    }

    /// @inheritdoc IDealEscrow
    function lockDeposit(
        bytes32 dealId,
        uint8 milestone,
        bytes3 currency,
        uint256 deposited,
        bytes32 bankRef
    ) external onlyRole(BANK_ROLE) whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        Milestones.requireState(dealId, milestone, ms.state, State.Pending);
        bytes3 expected = deal.currency;
        if (currency != expected) revert DealEscrowCurrencyMismatch(dealId, expected, currency);
        if (bankRef == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);
        uint96 amount = ms.amount;
        if (deposited < amount) revert DealEscrowDepositTooSmall(dealId, milestone, amount, deposited);

        ms.transition(State.Locked);
        // Cannot underflow: deposited >= amount, checked above.
        unchecked {
            emit DepositLocked(dealId, milestone, amount, deposited - amount, bankRef);
        }
    }

    // ─── External writes: delivery and inspection ────────────────────────────

    /// @inheritdoc IDealEscrow
    function deliver(
        bytes32 dealId,
        uint8 milestone,
        bytes32 deliveryDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Deliver, deliveryDigest, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.supplier);
        Milestones.requireState(dealId, milestone, ms.state, State.Locked);
        uint256 now_ = _clock();
        uint256 due = uint256(ms.deadline) + deal.gracePeriod;
        if (now_ > due) revert DealEscrowTooLate(dealId, milestone, due, now_);
        if (deliveryDigest == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);

        uint48 inspectionEnds = _after(now_, deal.inspectionPeriod);
        ms.timer = inspectionEnds;
        ms.deliveryDigest = deliveryDigest;
        ms.transition(State.Delivered);
        emit DeliverySubmitted(dealId, milestone, deliveryDigest, ms.changeRounds, inspectionEnds);
    }

    /// @inheritdoc IDealEscrow
    function acceptDelivery(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.AcceptDelivery, 0, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        Milestones.requireState(dealId, milestone, ms.state, State.Delivered);

        ms.timer = 0;
        emit DeliveryAccepted(dealId, milestone);
        _instruct(dealId, milestone, ms, State.Releasing, ms.amount);
    }

    /// @inheritdoc IDealEscrow
    function requestChanges(
        bytes32 dealId,
        uint8 milestone,
        bytes32 requestDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.RequestChanges, requestDigest, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        Milestones.requireState(dealId, milestone, ms.state, State.Delivered);
        uint256 now_ = _clock();
        Milestones.requireNotLapsed(dealId, milestone, ms.timer, now_);
        uint8 rounds = ms.changeRounds;
        uint8 maxRounds = deal.maxChangeRounds;
        // `rounds` only grows while below the maximum, so it reaches it and never passes it.
        if (rounds == maxRounds) revert DealEscrowChangeRoundsExhausted(dealId, milestone, maxRounds);

        // The supplier gets at least the grace period from now to deliver again.
        uint48 deadline = ms.deadline;
        if (now_ > deadline) deadline = uint48(now_); // now_ <= timer, a uint48
        // Cannot overflow: rounds < maxRounds, a uint8.
        unchecked {
            ++rounds;
        }
        ms.deadline = deadline;
        ms.timer = 0;
        ms.changeRounds = rounds;
        ms.transition(State.Locked);
        emit ChangesRequested(dealId, milestone, rounds, requestDigest, deadline);
    }

    /// @inheritdoc IDealEscrow
    function releaseAfterInspection(bytes32 dealId, uint8 milestone) external whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        Milestones.requireState(dealId, milestone, ms.state, State.Delivered);
        uint256 now_ = _clock();
        Milestones.requireLapsed(dealId, milestone, ms.timer, now_);

        ms.timer = 0;
        emit InspectionLapsed(dealId, milestone, msg.sender);
        _instruct(dealId, milestone, ms, State.Releasing, ms.amount);
    }

    /// @inheritdoc IDealEscrow
    function claimRefund(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.ClaimRefund, 0, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        Milestones.requireState(dealId, milestone, ms.state, State.Locked);
        uint256 now_ = _clock();
        Milestones.requireLapsed(dealId, milestone, uint256(ms.deadline) + deal.gracePeriod, now_);

        emit RefundClaimed(dealId, milestone);
        _instruct(dealId, milestone, ms, State.Refunding, 0);
    }

    /// @inheritdoc IDealEscrow
    function cancelMilestone(
        bytes32 dealId,
        uint8 milestone,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        bytes32 structHash = _actionHash(dealId, milestone, Action.Cancel, 0, 0, 0, ms.nonce);
        address supplier = deal.supplier;
        address demander = deal.demander;
        bool partyRelays = msg.sender == supplier || msg.sender == demander;
        _requireCosigner(dealId, structHash, supplierSignature, supplier, partyRelays);
        _requireCosigner(dealId, structHash, demanderSignature, demander, partyRelays);
        State state = ms.state;
        Milestones.requireCancellable(dealId, milestone, state);

        ms.timer = 0;
        ms.flags &= ~Milestones.PROPOSER_MASK;
        if (state == State.Pending) {
            ms.transition(State.Cancelled);
            emit MilestoneCancelled(dealId, milestone, false);
        } else {
            emit MilestoneCancelled(dealId, milestone, true);
            _instruct(dealId, milestone, ms, State.Refunding, 0);
        }
    }

    // ─── External writes: the bank executes ──────────────────────────────────

    /// @inheritdoc IDealEscrow
    function confirmInstruction(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes32 bankRef
    ) external onlyRole(BANK_ROLE) whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        State state = ms.requireInstruction(dealId, milestone);
        if (ms.flags & Milestones.FAILED != 0) revert DealEscrowInstructionFailed(dealId, milestone);
        if (bankRef == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);
        (uint96 toRelease, uint96 toRefund) = ms.instructionOf(state);
        if (release != toRelease || refund != toRefund) {
            revert DealEscrowInstructionMismatch(dealId, milestone, toRelease, toRefund);
        }

        if (state == State.Releasing) {
            ms.transition(State.Released);
            emit MilestoneReleased(dealId, milestone, release, bankRef);
        } else if (state == State.Refunding) {
            ms.transition(State.Refunded);
            emit MilestoneRefunded(dealId, milestone, refund, bankRef);
        } else {
            ms.transition(State.Split);
            emit MilestoneSplit(dealId, milestone, release, refund, bankRef);
        }
    }

    /// @inheritdoc IDealEscrow
    function reportInstructionFailed(
        bytes32 dealId,
        uint8 milestone,
        bytes4 reason
    ) external onlyRole(BANK_ROLE) whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        ms.requireInstruction(dealId, milestone);
        uint8 flags = ms.flags;
        if (flags & Milestones.FAILED != 0) revert DealEscrowInstructionFailed(dealId, milestone);

        uint32 failures = ms.failures + 1;
        ms.failures = failures;
        ms.flags = flags | Milestones.FAILED;
        ms.useNonce();
        emit InstructionFailed(dealId, milestone, reason, failures);
    }

    /// @inheritdoc IDealEscrow
    function reissueInstruction(bytes32 dealId, uint8 milestone) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        State state = ms.requireInstruction(dealId, milestone);
        uint8 flags = ms.flags;
        if (flags & Milestones.FAILED == 0) revert DealEscrowInstructionNotFailed(dealId, milestone);

        ms.flags = flags & ~Milestones.FAILED;
        ms.useNonce();
        (uint96 release, uint96 refund) = ms.instructionOf(state);
        emit InstructionReissued(dealId, milestone, state, release, refund, ms.failures + 1);
    }

    // ─── External writes: emergency pause ────────────────────────────────────

    /// @notice Stops every move, for an emergency (a leaked operator key, say). Deadlines stop with it.
    /// @dev Requirements: the caller holds `PAUSER_ROLE`; not paused. Emits a {Paused} event.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes; every running deadline moves later by the time the pause lasted.
    /// @dev Requirements: the caller holds `PAUSER_ROLE`; paused. Emits {Unpaused} and
    /// {DeadlinesExtended} events.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IDealEscrow
    function dealOf(bytes32 dealId) external view returns (Deal memory) {
        DealTerms.StoredDeal storage deal = _deals[dealId];
        return
            Deal({
                supplier: deal.supplier,
                demander: deal.demander,
                arbitrator: deal.arbitrator,
                contractDigest: deal.contractDigest,
                currency: deal.currency,
                milestoneCount: deal.milestoneCount,
                inspectionPeriod: deal.inspectionPeriod,
                gracePeriod: deal.gracePeriod,
                maxChangeRounds: deal.maxChangeRounds,
                rulingPeriod: deal.rulingPeriod,
                appealWindow: deal.appealWindow
            });
    }

    /// @inheritdoc IDealEscrow
    function milestoneOf(bytes32 dealId, uint8 milestone) external view returns (Milestone memory) {
        DealTerms.StoredDeal storage deal = _deals[dealId];
        return _milestones[dealId][milestone].toView(deal.supplier, deal.demander);
    }

    /// @inheritdoc IDealEscrow
    function hashTerms(Terms calldata terms) external view returns (bytes32) {
        return _hashTypedData(DealTerms.hash(terms));
    }

    /// @inheritdoc IDealEscrow
    function hashAction(
        bytes32 dealId,
        uint8 milestone,
        Action action,
        bytes32 data,
        uint96 release,
        uint96 refund,
        uint32 nonce
    ) external view returns (bytes32) {
        return _hashTypedData(_actionHash(dealId, milestone, action, data, release, refund, nonce));
    }

    /// @inheritdoc IDealEscrow
    function accountRegistry() external view returns (address) {
        return address(_ACCOUNTS);
    }

    /// @inheritdoc IDealEscrow
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev For a move that needs both parties: `expected` is the sender (empty signature) or signed.
    function _requireCosigner(
        bytes32 dealId,
        bytes32 structHash,
        bytes calldata signature,
        address expected,
        bool partyRelays
    ) private view {
        address account = msg.sender;
        if (signature.length != 0) {
            if (!partyRelays) _checkRole(OPERATOR_ROLE);
            account = _recover(dealId, structHash, signature);
        }
        _requireActor(dealId, account, expected);
    }
}
