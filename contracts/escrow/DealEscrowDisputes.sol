// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IDealEscrow} from "../interfaces/IDealEscrow.sol";
import {DealTerms} from "../libraries/DealTerms.sol";
import {Milestones} from "../libraries/Milestones.sol";
import {DealEscrowBase} from "./DealEscrowBase.sol";

/// @title Disputes of the deal escrow: objection, settlement, arbitration and appeal
/// @notice The moves that take a milestone off the usual path: a party objects, the parties settle
/// by a split, or the deal's arbitrator rules one, with one appeal.
/// @dev An extension of {DealEscrowBase}: it adds the dispute writes of {IDealEscrow} and nothing
/// else, so the escrow's usual path reads apart from its exceptions.
abstract contract DealEscrowDisputes is DealEscrowBase {
    using Milestones for Milestones.Milestone;

    // ─── External writes: disputes ───────────────────────────────────────────

    /// @inheritdoc IDealEscrow
    function openDispute(
        bytes32 dealId,
        uint8 milestone,
        bytes32 reasonDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.OpenDispute, reasonDigest, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        State state = ms.state;
        if (state == State.Delivered) {
            Milestones.requireNotLapsed(dealId, milestone, ms.timer, _clock());
        } else if (state != State.Locked) {
            revert DealEscrowInvalidState(dealId, milestone, state);
        }

        ms.timer = 0;
        ms.transition(State.Disputed);
        emit DisputeOpened(dealId, milestone, account, reasonDigest);
    }

    /// @inheritdoc IDealEscrow
    function proposeSettlement(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(
            dealId,
            milestone,
            Action.ProposeSettlement,
            0,
            release,
            refund,
            ms.nonce,
            signature
        );
        uint8 party = _partyOf(dealId, deal, account);
        Milestones.requireDisputed(dealId, milestone, ms.state);
        Milestones.requireExactSplit(dealId, milestone, ms.amount, release, refund);

        ms.release = release;
        ms.flags = (ms.flags & ~Milestones.PROPOSER_MASK) | party;
        ms.useNonce();
        emit SettlementProposed(dealId, milestone, account, release, refund);
    }

    /// @inheritdoc IDealEscrow
    function acceptSettlement(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.AcceptSettlement, 0, release, refund, ms.nonce, signature);
        uint8 party = _partyOf(dealId, deal, account);
        Milestones.requireDisputed(dealId, milestone, ms.state);
        uint8 proposer = ms.proposer();
        if (proposer == 0) revert DealEscrowNoProposal(dealId, milestone);
        if (proposer == party) {
            revert DealEscrowUnauthorized(
                dealId,
                account,
                party == Milestones.PROPOSED_BY_SUPPLIER ? deal.demander : deal.supplier
            );
        }
        Milestones.requireExactSplit(dealId, milestone, ms.amount, release, refund);
        uint96 proposed = ms.release;
        if (release != proposed) revert DealEscrowProposalMismatch(dealId, milestone, proposed, release);

        ms.timer = 0;
        ms.flags &= ~Milestones.PROPOSER_MASK;
        emit SettlementAccepted(dealId, milestone, account, release, refund);
        _instruct(dealId, milestone, ms, State.Splitting, release);
    }

    /// @inheritdoc IDealEscrow
    function escalate(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Escalate, 0, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        State state = ms.state;
        uint256 now_ = _clock();
        if (state == State.Arbitration) {
            Milestones.requireLapsed(dealId, milestone, ms.timer, now_);
        } else if (state != State.Disputed) {
            revert DealEscrowInvalidState(dealId, milestone, state);
        }

        uint48 deadline = _after(now_, deal.rulingPeriod);
        ms.timer = deadline;
        ms.transition(State.Arbitration);
        emit DisputeEscalated(dealId, milestone, account, deal.arbitrator, deadline);
    }

    /// @inheritdoc IDealEscrow
    function rule(
        bytes32 dealId,
        uint8 milestone,
        uint96 release,
        uint96 refund,
        bytes32 rulingDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        _requireArbitrator(
            dealId,
            _account(dealId, milestone, Action.Rule, rulingDigest, release, refund, ms.nonce, signature),
            deal.arbitrator
        );
        Milestones.requireState(dealId, milestone, ms.state, State.Arbitration);
        uint256 now_ = _clock();
        Milestones.requireNotLapsed(dealId, milestone, ms.timer, now_);
        Milestones.requireExactSplit(dealId, milestone, ms.amount, release, refund);
        if (rulingDigest == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);

        ms.release = release;
        uint8 flags = ms.flags & ~Milestones.PROPOSER_MASK;
        ms.flags = flags;
        uint32 window = deal.appealWindow;
        if (window == 0 || flags & Milestones.APPEALED != 0) {
            ms.timer = 0;
            emit RulingIssued(dealId, milestone, release, refund, rulingDigest, 0);
            _instruct(dealId, milestone, ms, State.Splitting, release);
        } else {
            uint48 appealEnds = _after(now_, window);
            ms.timer = appealEnds;
            ms.transition(State.Ruled);
            emit RulingIssued(dealId, milestone, release, refund, rulingDigest, appealEnds);
        }
    }

    /// @inheritdoc IDealEscrow
    function appeal(
        bytes32 dealId,
        uint8 milestone,
        bytes32 groundsDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Appeal, groundsDigest, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        // A ruling on appeal is final at once, so a `Ruled` milestone was never appealed.
        Milestones.requireState(dealId, milestone, ms.state, State.Ruled);
        uint256 now_ = _clock();
        Milestones.requireNotLapsed(dealId, milestone, ms.timer, now_);

        uint48 deadline = _after(now_, deal.rulingPeriod);
        ms.timer = deadline;
        ms.flags |= Milestones.APPEALED;
        ms.transition(State.Arbitration);
        emit RulingAppealed(dealId, milestone, account, groundsDigest, deadline);
    }

    /// @inheritdoc IDealEscrow
    function replaceArbitrator(
        bytes32 dealId,
        uint8 milestone,
        address next,
        bytes calldata signature
    ) external whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        address account = _account(
            dealId,
            milestone,
            Action.ReplaceArbitrator,
            bytes32(uint256(uint160(next))),
            0,
            0,
            ms.nonce,
            signature
        );
        _checkRole(ARBITRATION_ROLE, account);
        DealTerms.replaceArbitrator(
            _deals[dealId],
            _replaced[dealId],
            ms,
            DealTerms.Replacement(dealId, milestone, next, account, _clock())
        );
    }

    /// @inheritdoc IDealEscrow
    function finalizeRuling(bytes32 dealId, uint8 milestone) external whenNotPaused {
        (, Milestones.Milestone storage ms) = _load(dealId, milestone);
        Milestones.requireState(dealId, milestone, ms.state, State.Ruled);
        uint256 now_ = _clock();
        Milestones.requireLapsed(dealId, milestone, ms.timer, now_);

        ms.timer = 0;
        emit RulingFinalized(dealId, milestone);
        _instruct(dealId, milestone, ms, State.Splitting, ms.release);
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev `account` is the deal's current arbitrator, or a revert that says whether it is one the
    /// arbitration body replaced. The replaced list is read only on refusal, so a ruling costs no more.
    function _requireArbitrator(bytes32 dealId, address account, address arbitrator) private view {
        if (account == arbitrator) return;
        if (_replaced[dealId][account]) revert DealEscrowArbitratorReplaced(dealId, account, arbitrator);
        revert DealEscrowUnauthorized(dealId, account, arbitrator);
    }
}
