// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IAccountRegistry} from "./interfaces/IAccountRegistry.sol";
import {IDealEscrow} from "./interfaces/IDealEscrow.sol";
import {TypedData} from "./libraries/TypedData.sol";

/// @title DealEscrow
/// @notice Milestone escrow of technology-transfer deals whose money the supervising bank holds:
/// records the bank's attestations and the parties' signed moves, and lets each milestone move only
/// by the right actor at the right time.
/// @dev Uses no chain-specific feature and no value transfer, so it runs on any EVM chain,
/// including permissioned ones at gas price zero. Compiled for `paris`.
///
/// Storage is laid out for the usual path (lock, deliver, accept, confirm): each of those moves reads
/// the deal's first slot (or second, for the demander) and reads and writes the milestone's first
/// slot; only the delivery digest takes a slot of its own. Disputes and failed instructions use the
/// milestone's second slot.
///
/// EIP-712 hashing comes from {TypedData}, not OpenZeppelin's `EIP712`, which does not compile for
/// `paris` in OpenZeppelin 5.7; the domain is cached as OpenZeppelin does, and rebuilt on a fork.
///
/// `BANK_ROLE` is administered by itself, not by the platform's admin: the bank appoints and
/// rotates its own keys, so the platform cannot make up a bank attestation.
contract DealEscrow is IDealEscrow, IERC5267, AccessControl, Pausable {
    // ─── Types ───────────────────────────────────────────────────────────────

    struct StoredDeal {
        // slot 0: read by every move
        address supplier;
        uint8 milestoneCount;
        uint32 inspectionPeriod;
        uint32 gracePeriod;
        uint8 maxChangeRounds;
        // slot 1
        address demander;
        uint32 rulingPeriod;
        uint32 appealWindow;
        bytes3 currency;
        // slot 2
        address arbitrator;
        // slot 3
        bytes32 contractDigest;
    }

    /// @dev Times are `uint48` (as in OpenZeppelin's governance contracts: good for millions of years)
    /// so that the move counter gets 32 bits in the first slot: a 16-bit counter could be run out by
    /// a party sending settlement proposals in a loop, which costs nothing at gas price zero.
    struct StoredMilestone {
        // slot 0: besides the delivery digest, the only slot the usual path touches
        uint96 amount;
        uint48 deadline;
        uint48 timer;
        State state;
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

    /// @notice Role of the platform's relaying accounts: create deals, relay signed moves, reissue instructions.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Role of the supervising bank's accounts: lock deposits, confirm or fail instructions.
    bytes32 public constant BANK_ROLE = keccak256("BANK_ROLE");

    /// @notice Role of the accounts allowed to pause and unpause the escrow.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Most milestones a deal may have.
    uint256 public constant MAX_MILESTONES = 32;

    // The type strings are hashed at compile time, never stored.
    // solhint-disable gas-small-strings

    /// @notice EIP-712 type hash of the terms both parties sign.
    bytes32 public constant TERMS_TYPEHASH = keccak256(
        "DealTerms(bytes32 dealId,address supplier,address demander,address arbitrator,bytes32 contractDigest,"
        "bytes3 currency,uint96[] amounts,uint64[] deadlines,uint32 inspectionPeriod,uint32 gracePeriod,"
        "uint8 maxChangeRounds,uint32 rulingPeriod,uint32 appealWindow)"
    );

    /// @notice EIP-712 type hash of a signed move.
    bytes32 public constant ACTION_TYPEHASH = keccak256(
        "MilestoneAction(bytes32 dealId,uint8 milestone,uint8 action,bytes32 data,uint96 release,uint96 refund,"
        "uint32 nonce)"
    );

    // solhint-enable gas-small-strings

    string private constant _NAME = "TechTransferLedger DealEscrow";
    string private constant _VERSION = "1";

    uint8 private constant _PROPOSED_BY_SUPPLIER = 1;
    uint8 private constant _PROPOSED_BY_DEMANDER = 2;
    uint8 private constant _PROPOSER_MASK = 3;
    uint8 private constant _APPEALED = 4;
    uint8 private constant _FAILED = 8;

    // ─── Storage ─────────────────────────────────────────────────────────────

    IAccountRegistry private immutable _ACCOUNTS;

    bytes32 private immutable _CACHED_DOMAIN_SEPARATOR;
    uint256 private immutable _CACHED_CHAIN_ID;

    mapping(bytes32 dealId => StoredDeal) private _deals;

    mapping(bytes32 dealId => mapping(uint256 milestone => StoredMilestone)) private _milestones;

    /// @dev Block time the running pause began; 0 when not paused.
    uint48 private _pausedAt;

    /// @dev Seconds spent in pauses that ended.
    uint48 private _pausedTotal;

    // ─── Constructor ─────────────────────────────────────────────────────────

    /// @param admin    Account that administers roles (the platform operator's governance key); also pauser.
    /// @param accounts The account registry whose certified accounts may be parties.
    /// @param operator First account allowed to create deals and relay (the gateway's key); may be zero.
    /// @param bank     First account of the supervising bank; it administers `BANK_ROLE` from then on.
    constructor(address admin, IAccountRegistry accounts, address operator, address bank) {
        if (admin == address(0) || address(accounts) == address(0) || bank == address(0)) {
            revert DealEscrowZeroAddress();
        }
        _ACCOUNTS = accounts;
        _CACHED_CHAIN_ID = block.chainid;
        _CACHED_DOMAIN_SEPARATOR = _buildDomainSeparator();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _setRoleAdmin(BANK_ROLE, BANK_ROLE);
        _grantRole(BANK_ROLE, bank);
        if (operator != address(0)) _grantRole(OPERATOR_ROLE, operator);
    }

    // ─── External writes: creation and deposit ───────────────────────────────

    /// @inheritdoc IDealEscrow
    function createDeal(
        Terms calldata terms,
        bytes calldata supplierSignature,
        bytes calldata demanderSignature
    ) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        bytes32 dealId = terms.dealId;
        _checkTerms(terms);
        bytes32 digest = _hashTypedDataV4(_termsHash(terms));
        _requireSigner(dealId, digest, supplierSignature, terms.supplier);
        _requireSigner(dealId, digest, demanderSignature, terms.demander);
        if (!_ACCOUNTS.isCertified(terms.supplier)) revert DealEscrowNotCertified(dealId, terms.supplier);
        if (!_ACCOUNTS.isCertified(terms.demander)) revert DealEscrowNotCertified(dealId, terms.demander);

        _storeDeal(terms);
        _storeMilestones(terms);
        emit DealCreated(
            dealId,
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        _requireState(dealId, milestone, ms.state, State.Pending);
        bytes3 expected = deal.currency;
        if (currency != expected) revert DealEscrowCurrencyMismatch(dealId, expected, currency);
        if (bankRef == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);
        uint96 amount = ms.amount;
        if (deposited < amount) revert DealEscrowDepositTooSmall(dealId, milestone, amount, deposited);

        _move(ms, State.Locked);
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Deliver, deliveryDigest, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.supplier);
        _requireState(dealId, milestone, ms.state, State.Locked);
        uint256 now_ = _clock();
        uint256 due = uint256(ms.deadline) + deal.gracePeriod;
        if (now_ > due) revert DealEscrowTooLate(dealId, milestone, due, now_);
        if (deliveryDigest == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);

        uint48 inspectionEnds = _after(now_, deal.inspectionPeriod);
        ms.timer = inspectionEnds;
        ms.deliveryDigest = deliveryDigest;
        _move(ms, State.Delivered);
        emit DeliverySubmitted(dealId, milestone, deliveryDigest, ms.changeRounds, inspectionEnds);
    }

    /// @inheritdoc IDealEscrow
    function acceptDelivery(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.AcceptDelivery, 0, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        _requireState(dealId, milestone, ms.state, State.Delivered);

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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.RequestChanges, requestDigest, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        _requireState(dealId, milestone, ms.state, State.Delivered);
        uint256 now_ = _clock();
        _requireNotLapsed(dealId, milestone, ms.timer, now_);
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
        _move(ms, State.Locked);
        emit ChangesRequested(dealId, milestone, rounds, requestDigest, deadline);
    }

    /// @inheritdoc IDealEscrow
    function releaseAfterInspection(bytes32 dealId, uint8 milestone) external whenNotPaused {
        (, StoredMilestone storage ms) = _load(dealId, milestone);
        _requireState(dealId, milestone, ms.state, State.Delivered);
        uint256 now_ = _clock();
        _requireLapsed(dealId, milestone, ms.timer, now_);

        ms.timer = 0;
        emit InspectionLapsed(dealId, milestone, msg.sender);
        _instruct(dealId, milestone, ms, State.Releasing, ms.amount);
    }

    /// @inheritdoc IDealEscrow
    function claimRefund(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.ClaimRefund, 0, 0, 0, ms.nonce, signature);
        _requireActor(dealId, account, deal.demander);
        _requireState(dealId, milestone, ms.state, State.Locked);
        uint256 now_ = _clock();
        _requireLapsed(dealId, milestone, uint256(ms.deadline) + deal.gracePeriod, now_);

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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        bytes32 structHash = _actionHash(dealId, milestone, Action.Cancel, 0, 0, 0, ms.nonce);
        address supplier = deal.supplier;
        address demander = deal.demander;
        bool partyRelays = msg.sender == supplier || msg.sender == demander;
        _requireCosigner(dealId, structHash, supplierSignature, supplier, partyRelays);
        _requireCosigner(dealId, structHash, demanderSignature, demander, partyRelays);
        State state = ms.state;
        if (state < State.Pending || state > State.Ruled) revert DealEscrowInvalidState(dealId, milestone, state);

        ms.timer = 0;
        ms.flags &= ~_PROPOSER_MASK;
        if (state == State.Pending) {
            _move(ms, State.Cancelled);
            emit MilestoneCancelled(dealId, milestone, false);
        } else {
            emit MilestoneCancelled(dealId, milestone, true);
            _instruct(dealId, milestone, ms, State.Refunding, 0);
        }
    }

    // ─── External writes: disputes ───────────────────────────────────────────

    /// @inheritdoc IDealEscrow
    function openDispute(
        bytes32 dealId,
        uint8 milestone,
        bytes32 reasonDigest,
        bytes calldata signature
    ) external whenNotPaused {
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.OpenDispute, reasonDigest, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        State state = ms.state;
        if (state == State.Delivered) {
            _requireNotLapsed(dealId, milestone, ms.timer, _clock());
        } else if (state != State.Locked) {
            revert DealEscrowInvalidState(dealId, milestone, state);
        }

        ms.timer = 0;
        _move(ms, State.Disputed);
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
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
        _requireDisputed(dealId, milestone, ms.state);
        _requireExactSplit(dealId, milestone, ms.amount, release, refund);

        ms.release = release;
        ms.flags = (ms.flags & ~_PROPOSER_MASK) | party;
        _move(ms, ms.state);
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.AcceptSettlement, 0, release, refund, ms.nonce, signature);
        uint8 party = _partyOf(dealId, deal, account);
        _requireDisputed(dealId, milestone, ms.state);
        uint8 proposer = ms.flags & _PROPOSER_MASK;
        if (proposer == 0) revert DealEscrowNoProposal(dealId, milestone);
        if (proposer == party) {
            revert DealEscrowUnauthorized(
                dealId,
                account,
                party == _PROPOSED_BY_SUPPLIER ? deal.demander : deal.supplier
            );
        }
        _requireExactSplit(dealId, milestone, ms.amount, release, refund);
        uint96 proposed = ms.release;
        if (release != proposed) revert DealEscrowProposalMismatch(dealId, milestone, proposed, release);

        ms.timer = 0;
        ms.flags &= ~_PROPOSER_MASK;
        emit SettlementAccepted(dealId, milestone, account, release, refund);
        _instruct(dealId, milestone, ms, State.Splitting, release);
    }

    /// @inheritdoc IDealEscrow
    function escalate(bytes32 dealId, uint8 milestone, bytes calldata signature) external whenNotPaused {
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Escalate, 0, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        State state = ms.state;
        uint256 now_ = _clock();
        if (state == State.Arbitration) {
            _requireLapsed(dealId, milestone, ms.timer, now_);
        } else if (state != State.Disputed) {
            revert DealEscrowInvalidState(dealId, milestone, state);
        }

        uint48 deadline = _after(now_, deal.rulingPeriod);
        ms.timer = deadline;
        _move(ms, State.Arbitration);
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        _requireActor(
            dealId,
            _account(dealId, milestone, Action.Rule, rulingDigest, release, refund, ms.nonce, signature),
            deal.arbitrator
        );
        _requireState(dealId, milestone, ms.state, State.Arbitration);
        uint256 now_ = _clock();
        _requireNotLapsed(dealId, milestone, ms.timer, now_);
        _requireExactSplit(dealId, milestone, ms.amount, release, refund);
        if (rulingDigest == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);

        ms.release = release;
        uint8 flags = ms.flags & ~_PROPOSER_MASK;
        ms.flags = flags;
        uint32 window = deal.appealWindow;
        if (window == 0 || flags & _APPEALED != 0) {
            ms.timer = 0;
            emit RulingIssued(dealId, milestone, release, refund, rulingDigest, 0);
            _instruct(dealId, milestone, ms, State.Splitting, release);
        } else {
            uint48 appealEnds = _after(now_, window);
            ms.timer = appealEnds;
            _move(ms, State.Ruled);
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
        (StoredDeal storage deal, StoredMilestone storage ms) = _load(dealId, milestone);
        address account = _account(dealId, milestone, Action.Appeal, groundsDigest, 0, 0, ms.nonce, signature);
        _partyOf(dealId, deal, account);
        // A ruling on appeal is final at once, so a `Ruled` milestone was never appealed.
        _requireState(dealId, milestone, ms.state, State.Ruled);
        uint256 now_ = _clock();
        _requireNotLapsed(dealId, milestone, ms.timer, now_);

        uint48 deadline = _after(now_, deal.rulingPeriod);
        ms.timer = deadline;
        ms.flags |= _APPEALED;
        _move(ms, State.Arbitration);
        emit RulingAppealed(dealId, milestone, account, groundsDigest, deadline);
    }

    /// @inheritdoc IDealEscrow
    function finalizeRuling(bytes32 dealId, uint8 milestone) external whenNotPaused {
        (, StoredMilestone storage ms) = _load(dealId, milestone);
        _requireState(dealId, milestone, ms.state, State.Ruled);
        uint256 now_ = _clock();
        _requireLapsed(dealId, milestone, ms.timer, now_);

        ms.timer = 0;
        emit RulingFinalized(dealId, milestone);
        _instruct(dealId, milestone, ms, State.Splitting, ms.release);
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
        (, StoredMilestone storage ms) = _load(dealId, milestone);
        State state = _requireInstruction(dealId, milestone, ms);
        if (ms.flags & _FAILED != 0) revert DealEscrowInstructionFailed(dealId, milestone);
        if (bankRef == bytes32(0)) revert DealEscrowZeroReference(dealId, milestone);
        (uint96 toRelease, uint96 toRefund) = _instructionOf(ms, state);
        if (release != toRelease || refund != toRefund) {
            revert DealEscrowInstructionMismatch(dealId, milestone, toRelease, toRefund);
        }

        if (state == State.Releasing) {
            _move(ms, State.Released);
            emit MilestoneReleased(dealId, milestone, release, bankRef);
        } else if (state == State.Refunding) {
            _move(ms, State.Refunded);
            emit MilestoneRefunded(dealId, milestone, refund, bankRef);
        } else {
            _move(ms, State.Split);
            emit MilestoneSplit(dealId, milestone, release, refund, bankRef);
        }
    }

    /// @inheritdoc IDealEscrow
    function reportInstructionFailed(
        bytes32 dealId,
        uint8 milestone,
        bytes4 reason
    ) external onlyRole(BANK_ROLE) whenNotPaused {
        (, StoredMilestone storage ms) = _load(dealId, milestone);
        _requireInstruction(dealId, milestone, ms);
        uint8 flags = ms.flags;
        if (flags & _FAILED != 0) revert DealEscrowInstructionFailed(dealId, milestone);

        uint32 failures = ms.failures + 1;
        ms.failures = failures;
        ms.flags = flags | _FAILED;
        _move(ms, ms.state);
        emit InstructionFailed(dealId, milestone, reason, failures);
    }

    /// @inheritdoc IDealEscrow
    function reissueInstruction(bytes32 dealId, uint8 milestone) external onlyRole(OPERATOR_ROLE) whenNotPaused {
        (, StoredMilestone storage ms) = _load(dealId, milestone);
        State state = _requireInstruction(dealId, milestone, ms);
        uint8 flags = ms.flags;
        if (flags & _FAILED == 0) revert DealEscrowInstructionNotFailed(dealId, milestone);

        ms.flags = flags & ~_FAILED;
        _move(ms, state);
        (uint96 release, uint96 refund) = _instructionOf(ms, state);
        emit InstructionReissued(dealId, milestone, state, release, refund, ms.failures + 1);
    }

    // ─── External writes: emergency pause ────────────────────────────────────

    /// @notice Stops every move, for an emergency (a leaked operator key, say). Deadlines stop with it.
    /// @dev Requirements: the caller holds `PAUSER_ROLE`; not paused. Emits a {Paused} event.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
        _pausedAt = uint48(block.timestamp);
    }

    /// @notice Resumes; every running deadline moves later by the time the pause lasted.
    /// @dev Requirements: the caller holds `PAUSER_ROLE`; paused. Emits {Unpaused} and
    /// {DeadlinesExtended} events.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
        uint48 pausedFor = uint48(block.timestamp) - _pausedAt;
        uint48 total = _pausedTotal + pausedFor;
        _pausedTotal = total;
        _pausedAt = 0;
        emit DeadlinesExtended(pausedFor, total);
    }

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IDealEscrow
    function dealOf(bytes32 dealId) external view returns (Deal memory) {
        StoredDeal storage deal = _deals[dealId];
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
    function milestoneOf(bytes32 dealId, uint8 milestone) external view returns (Milestone memory view_) {
        StoredMilestone storage ms = _milestones[dealId][milestone];
        State state = ms.state;
        uint96 amount = ms.amount;
        uint8 flags = ms.flags;
        view_.state = state;
        view_.amount = amount;
        view_.deadline = ms.deadline;
        view_.timer = ms.timer;
        view_.changeRounds = ms.changeRounds;
        view_.nonce = ms.nonce;
        view_.appealed = flags & _APPEALED != 0;
        view_.instructionFailed = flags & _FAILED != 0;
        view_.failures = ms.failures;
        view_.deliveryDigest = ms.deliveryDigest;
        if (state > State.Pending && state < State.Cancelled) view_.locked = amount;

        uint8 proposer = flags & _PROPOSER_MASK;
        if (proposer != 0) {
            StoredDeal storage deal = _deals[dealId];
            view_.proposer = proposer == _PROPOSED_BY_SUPPLIER ? deal.supplier : deal.demander;
        }
        // A standing proposal, a ruling, an instruction or its outcome (Released - 3 = Releasing, and so on).
        if (proposer != 0 || (state > State.Arbitration && state < State.Cancelled)) {
            bool done = state > State.Splitting;
            (view_.release, view_.refund) = _instructionOf(ms, done ? State(uint8(state) - 3) : state);
            if (done) (view_.released, view_.refunded) = (view_.release, view_.refund);
        }
    }

    /// @inheritdoc IDealEscrow
    function clock() external view returns (uint48) {
        return uint48(_clock());
    }

    /// @inheritdoc IDealEscrow
    function pausedTotal() external view returns (uint48) {
        return _pausedTotal;
    }

    /// @inheritdoc IDealEscrow
    function hashTerms(Terms calldata terms) external view returns (bytes32) {
        return _hashTypedDataV4(_termsHash(terms));
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
        return _hashTypedDataV4(_actionHash(dealId, milestone, action, data, release, refund, nonce));
    }

    /// @inheritdoc IERC5267
    function eip712Domain()
        external
        view
        returns (
            bytes1 fields,
            string memory name,
            string memory version_,
            uint256 chainId,
            address verifyingContract,
            bytes32 salt,
            uint256[] memory extensions
        )
    {
        return (hex"0f", _NAME, _VERSION, block.chainid, address(this), bytes32(0), new uint256[](0));
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

    /// @dev The EIP-712 digest of `structHash` in this contract's domain.
    function _hashTypedDataV4(bytes32 structHash) private view returns (bytes32) {
        bytes32 separator = block.chainid == _CACHED_CHAIN_ID ? _CACHED_DOMAIN_SEPARATOR : _buildDomainSeparator();
        return TypedData.digest(separator, structHash);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return TypedData.domainSeparator(keccak256(bytes(_NAME)), keccak256(bytes(_VERSION)), address(this));
    }

    /// @dev The escrow clock: block time minus time paused; it stands still during a pause.
    function _clock() private view returns (uint256) {
        uint256 pausedAt = _pausedAt;
        // Cannot underflow: the paused total sums intervals that ended before now and before the
        // running pause began (pausedAt), so it is at most either.
        unchecked {
            return (pausedAt != 0 ? pausedAt : block.timestamp) - _pausedTotal;
        }
    }

    /// @dev `start + period` as a stored time. `start` is an escrow-clock time (at most block time,
    /// far below 2**47) and `period` is 32 bits, so the sum fits in 48 bits.
    function _after(uint256 start, uint32 period) private pure returns (uint48) {
        return uint48(start + period);
    }

    /// @dev The deal and the milestone, or a revert naming what is unknown.
    function _load(
        bytes32 dealId,
        uint8 milestone
    ) private view returns (StoredDeal storage deal, StoredMilestone storage ms) {
        deal = _deals[dealId];
        uint8 count = deal.milestoneCount;
        if (count == 0) revert DealEscrowUnknownDeal(dealId);
        // Milestones are numbered 0 to count - 1; the non-strict bound says so directly.
        // solhint-disable-next-line gas-strict-inequalities
        if (milestone >= count) revert DealEscrowUnknownMilestone(dealId, milestone, count);
        ms = _milestones[dealId][milestone];
    }

    /// @dev Sets the state and counts the move, which retires every signature made for the old nonce.
    function _move(StoredMilestone storage ms, State next) private {
        ms.state = next;
        ++ms.nonce;
    }

    /// @dev Issues an instruction for the bank; `release` is what goes to the supplier.
    function _instruct(
        bytes32 dealId,
        uint8 milestone,
        StoredMilestone storage ms,
        State kind,
        uint96 release
    ) private {
        _move(ms, kind);
        uint96 amount = ms.amount;
        // Cannot underflow: release is 0, the amount, or a split checked to add up to the amount.
        unchecked {
            emit InstructionIssued(dealId, milestone, kind, release, amount - release);
        }
    }

    /// @dev What the instruction `kind` (`Releasing`, `Refunding`, `Splitting`, or a proposal or
    /// ruling for any other state) pays to each side.
    function _instructionOf(StoredMilestone storage ms, State kind) private view returns (uint96, uint96) {
        uint96 amount = ms.amount;
        if (kind == State.Releasing) return (amount, 0);
        if (kind == State.Refunding) return (0, amount);
        uint96 release = ms.release;
        // Cannot underflow: every stored release was checked to be part of an exact split of the amount.
        unchecked {
            return (release, amount - release);
        }
    }

    /// @dev Who moves: the sender, or the signer of the relayed `MilestoneAction`.
    function _account(
        bytes32 dealId,
        uint8 milestone,
        Action action,
        bytes32 data,
        uint96 release,
        uint96 refund,
        uint32 nonce,
        bytes calldata signature
    ) private view returns (address) {
        if (signature.length == 0) return msg.sender;
        _checkRole(OPERATOR_ROLE);
        return _recover(dealId, _actionHash(dealId, milestone, action, data, release, refund, nonce), signature);
    }

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

    function _requireSigner(bytes32 dealId, bytes32 digest, bytes calldata signature, address expected) private pure {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (error != ECDSA.RecoverError.NoError) revert DealEscrowInvalidSignature(dealId);
        _requireActor(dealId, signer, expected);
    }

    function _recover(bytes32 dealId, bytes32 structHash, bytes calldata signature) private view returns (address) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(
            _hashTypedDataV4(structHash),
            signature
        );
        if (error != ECDSA.RecoverError.NoError) revert DealEscrowInvalidSignature(dealId);
        return signer;
    }

    function _requireActor(bytes32 dealId, address account, address expected) private pure {
        if (account != expected) revert DealEscrowUnauthorized(dealId, account, expected);
    }

    /// @dev Which party `account` is, as a proposer flag, or a revert.
    function _partyOf(bytes32 dealId, StoredDeal storage deal, address account) private view returns (uint8) {
        if (account == deal.supplier) return _PROPOSED_BY_SUPPLIER;
        if (account == deal.demander) return _PROPOSED_BY_DEMANDER;
        revert DealEscrowNotParty(dealId, account);
    }

    function _requireState(bytes32 dealId, uint8 milestone, State current, State expected) private pure {
        if (current != expected) revert DealEscrowInvalidState(dealId, milestone, current);
    }

    function _requireDisputed(bytes32 dealId, uint8 milestone, State current) private pure {
        if (current != State.Disputed && current != State.Arbitration) {
            revert DealEscrowInvalidState(dealId, milestone, current);
        }
    }

    /// @dev Returns the instruction's kind, or reverts when the milestone has no instruction standing.
    function _requireInstruction(
        bytes32 dealId,
        uint8 milestone,
        StoredMilestone storage ms
    ) private view returns (State state) {
        state = ms.state;
        if (state < State.Releasing || state > State.Splitting) {
            revert DealEscrowInvalidState(dealId, milestone, state);
        }
    }

    /// @dev The period (delivery, inspection, ruling, appeal) is over: the clock is past `ends`.
    function _requireLapsed(bytes32 dealId, uint8 milestone, uint256 ends, uint256 now_) private pure {
        // `ends` is the last second of the period, so the move opens strictly after it.
        // solhint-disable-next-line gas-strict-inequalities
        if (now_ <= ends) revert DealEscrowTooEarly(dealId, milestone, ends, now_);
    }

    /// @dev The running period (inspection, ruling, appeal) is still open: the clock is not past `ends`.
    function _requireNotLapsed(bytes32 dealId, uint8 milestone, uint48 ends, uint256 now_) private pure {
        if (now_ > ends) revert DealEscrowTooLate(dealId, milestone, ends, now_);
    }

    function _requireExactSplit(
        bytes32 dealId,
        uint8 milestone,
        uint96 locked,
        uint96 release,
        uint96 refund
    ) private pure {
        if (uint256(release) + refund != locked) {
            revert DealEscrowSplitMismatch(dealId, milestone, locked, release, refund);
        }
    }

    function _checkTerms(Terms calldata terms) private view {
        bytes32 dealId = terms.dealId;
        if (dealId == bytes32(0)) revert DealEscrowZeroDealId();
        if (_deals[dealId].milestoneCount != 0) revert DealEscrowDealExists(dealId);
        (address supplier, address demander, address arbitrator) = (terms.supplier, terms.demander, terms.arbitrator);
        if (
            supplier == address(0) ||
            demander == address(0) ||
            arbitrator == address(0) ||
            supplier == demander ||
            arbitrator == supplier ||
            arbitrator == demander
        ) revert DealEscrowInvalidParties(dealId, supplier, demander, arbitrator);
        uint256 count = terms.amounts.length;
        if (count == 0 || count > MAX_MILESTONES || count != terms.deadlines.length) {
            revert DealEscrowInvalidMilestoneCount(dealId, count, terms.deadlines.length);
        }
        bytes3 currency = terms.currency;
        for (uint256 i; i < 3; ++i) {
            bytes1 letter = currency[i];
            if (letter < "A" || letter > "Z") revert DealEscrowInvalidCurrency(dealId, currency);
        }
        if (terms.inspectionPeriod == 0 || terms.rulingPeriod == 0) {
            revert DealEscrowInvalidPeriods(dealId, terms.inspectionPeriod, terms.rulingPeriod);
        }
    }

    function _storeDeal(Terms calldata terms) private {
        StoredDeal storage deal = _deals[terms.dealId];
        deal.supplier = terms.supplier;
        // Cannot truncate: at most MAX_MILESTONES, checked in _checkTerms.
        deal.milestoneCount = uint8(terms.amounts.length);
        deal.inspectionPeriod = terms.inspectionPeriod;
        deal.gracePeriod = terms.gracePeriod;
        deal.maxChangeRounds = terms.maxChangeRounds;
        deal.demander = terms.demander;
        deal.rulingPeriod = terms.rulingPeriod;
        deal.appealWindow = terms.appealWindow;
        deal.currency = terms.currency;
        deal.arbitrator = terms.arbitrator;
        deal.contractDigest = terms.contractDigest;
    }

    /// @dev Stores each milestone `Pending`, its deadline turned into escrow-clock time.
    function _storeMilestones(Terms calldata terms) private {
        bytes32 dealId = terms.dealId;
        uint48 pausedSoFar = _pausedTotal;
        mapping(uint256 => StoredMilestone) storage milestones = _milestones[dealId];
        uint256 count = terms.amounts.length;
        for (uint256 i; i < count; ++i) {
            uint96 amount = terms.amounts[i];
            uint64 deadline = terms.deadlines[i];
            if (amount == 0) revert DealEscrowZeroAmount(dealId, uint8(i));
            // A deadline at or before the current block time has passed already.
            // solhint-disable-next-line gas-strict-inequalities
            if (deadline <= block.timestamp || deadline > type(uint48).max) {
                revert DealEscrowInvalidDeadline(dealId, uint8(i), deadline, block.timestamp);
            }
            StoredMilestone storage ms = milestones[i];
            ms.amount = amount;
            // Cannot underflow: the paused total is a sum of past intervals, so it is at most
            // block.timestamp, which is below the deadline (checked above).
            unchecked {
                ms.deadline = uint48(deadline) - pausedSoFar;
            }
            ms.state = State.Pending;
        }
    }

    /// @dev EIP-712 struct hash of `DealTerms`; arrays hash as the keccak of their 32-byte words.
    function _termsHash(Terms calldata terms) private pure returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        TERMS_TYPEHASH,
                        terms.dealId,
                        terms.supplier,
                        terms.demander,
                        terms.arbitrator,
                        terms.contractDigest,
                        terms.currency
                    ),
                    abi.encode(
                        keccak256(abi.encodePacked(terms.amounts)),
                        keccak256(abi.encodePacked(terms.deadlines)),
                        terms.inspectionPeriod,
                        terms.gracePeriod,
                        terms.maxChangeRounds,
                        terms.rulingPeriod,
                        terms.appealWindow
                    )
                )
            );
    }

    function _actionHash(
        bytes32 dealId,
        uint8 milestone,
        Action action,
        bytes32 data,
        uint96 release,
        uint96 refund,
        uint32 nonce
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(ACTION_TYPEHASH, dealId, milestone, action, data, release, refund, nonce));
    }
}
