// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccountRegistry} from "../interfaces/IAccountRegistry.sol";
import {IDealEscrow} from "../interfaces/IDealEscrow.sol";
import {DealTerms} from "../libraries/DealTerms.sol";
import {Milestones} from "../libraries/Milestones.sol";
import {PausableClock} from "../utils/PausableClock.sol";
import {RelayedSignatures} from "../utils/RelayedSignatures.sol";

/// @title What every part of the deal escrow shares
/// @notice Roles, the deals and milestones in storage, and the steps every move takes: find the
/// milestone, find who moves (the sender, or the signer of a relayed move), check that it is the
/// right actor, and issue an instruction for the bank.
/// @dev {DealEscrowDisputes} and {DealEscrow} build on it. The clock comes from {PausableClock}, the
/// EIP-712 domain and signer recovery from {RelayedSignatures}, a milestone's storage, guards and
/// transitions from {Milestones}.
///
/// Storage is laid out for the usual path (lock, deliver, accept, confirm): each of those moves reads
/// the pause flag and the clock (one slot), the deal's first slot (or second, for the demander) and
/// reads and writes the milestone's first slot; only the delivery digest takes a slot of its own.
abstract contract DealEscrowBase is IDealEscrow, AccessControl, PausableClock, RelayedSignatures {
    using Milestones for Milestones.Milestone;

    // ─── Constants ───────────────────────────────────────────────────────────

    /// @notice Role of the platform's relaying accounts: create deals, relay signed moves, reissue instructions.
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @notice Role of the supervising bank's accounts: lock deposits, confirm or fail instructions.
    bytes32 public constant BANK_ROLE = keccak256("BANK_ROLE");

    /// @notice Role of the arbitration institution's keys: replace an arbitrator who let a ruling
    /// period lapse. Administered by itself, like `BANK_ROLE`, so the platform cannot appoint one.
    bytes32 public constant ARBITRATION_ROLE = keccak256("ARBITRATION_ROLE");

    /// @notice Role of the accounts allowed to pause and unpause the escrow.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @inheritdoc IDealEscrow
    uint256 public constant MAX_MILESTONES = DealTerms.MAX_MILESTONES;

    // The type string is hashed at compile time, never stored.
    // solhint-disable gas-small-strings

    /// @notice EIP-712 type hash of a signed move.
    bytes32 public constant ACTION_TYPEHASH = keccak256(
        "MilestoneAction(bytes32 dealId,uint8 milestone,uint8 action,bytes32 data,uint96 release,uint96 refund,"
        "uint32 nonce)"
    );

    // solhint-enable gas-small-strings

    // ─── Storage ─────────────────────────────────────────────────────────────

    IAccountRegistry internal immutable _ACCOUNTS;

    mapping(bytes32 dealId => DealTerms.StoredDeal) internal _deals;

    mapping(bytes32 dealId => mapping(uint256 milestone => Milestones.Milestone)) internal _milestones;

    /// @dev Arbitrators the arbitration body replaced, per deal: read only when a ruling is refused.
    mapping(bytes32 dealId => mapping(address account => bool)) internal _replaced;

    // ─── Constructor ─────────────────────────────────────────────────────────

    /// @param admin    Account that administers roles (the platform operator's governance key); also pauser.
    /// @param accounts The account registry whose certified accounts may be parties.
    /// @param operator First account allowed to create deals and relay (the gateway's key); may be zero.
    /// @param bank     First account of the supervising bank; it administers `BANK_ROLE` from then on.
    /// @param arbitrationBody First key of the arbitration institution; it administers `ARBITRATION_ROLE`
    ///        from then on. May be zero: then no arbitrator can ever be replaced on this escrow.
    constructor(address admin, IAccountRegistry accounts, address operator, address bank, address arbitrationBody) {
        if (admin == address(0) || address(accounts) == address(0) || bank == address(0)) {
            revert DealEscrowZeroAddress();
        }
        _ACCOUNTS = accounts;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _setRoleAdmin(BANK_ROLE, BANK_ROLE);
        _grantRole(BANK_ROLE, bank);
        if (operator != address(0)) _grantRole(OPERATOR_ROLE, operator);
        _setRoleAdmin(ARBITRATION_ROLE, ARBITRATION_ROLE);
        if (arbitrationBody != address(0)) _grantRole(ARBITRATION_ROLE, arbitrationBody);
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev `start + period` as a stored time. `start` is an escrow-clock time (at most block time,
    /// far below 2**47) and `period` is 32 bits, so the sum fits in 48 bits.
    function _after(uint256 start, uint32 period) internal pure returns (uint48) {
        return uint48(start + period);
    }

    /// @dev The deal and the milestone, or a revert naming what is unknown.
    function _load(
        bytes32 dealId,
        uint8 milestone
    ) internal view returns (DealTerms.StoredDeal storage deal, Milestones.Milestone storage ms) {
        deal = _deals[dealId];
        uint8 count = deal.milestoneCount;
        if (count == 0) revert DealEscrowUnknownDeal(dealId);
        // Milestones are numbered 0 to count - 1; the non-strict bound says so directly.
        // solhint-disable-next-line gas-strict-inequalities
        if (milestone >= count) revert DealEscrowUnknownMilestone(dealId, milestone, count);
        ms = _milestones[dealId][milestone];
    }

    /// @dev Issues an instruction for the bank; `release` is what goes to the supplier.
    function _instruct(
        bytes32 dealId,
        uint8 milestone,
        Milestones.Milestone storage ms,
        State kind,
        uint96 release
    ) internal {
        ms.transition(kind);
        uint96 amount = ms.amount;
        // Cannot underflow: release is 0, the amount, or a split checked to add up to the amount.
        unchecked {
            emit InstructionIssued(dealId, milestone, kind, release, amount - release);
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
    ) internal view returns (address) {
        if (signature.length == 0) return msg.sender;
        _checkRole(OPERATOR_ROLE);
        return _recover(dealId, _actionHash(dealId, milestone, action, data, release, refund, nonce), signature);
    }

    /// @dev The signer of `structHash` in this domain, or a revert when the signature cannot be read.
    function _recover(bytes32 dealId, bytes32 structHash, bytes calldata signature) internal view returns (address) {
        return _recoverDigest(dealId, _hashTypedData(structHash), signature);
    }

    function _recoverDigest(
        bytes32 dealId,
        bytes32 digest,
        bytes calldata signature
    ) internal pure returns (address signer) {
        bool valid;
        (signer, valid) = _tryRecover(digest, signature);
        if (!valid) revert DealEscrowInvalidSignature(dealId);
    }

    function _requireActor(bytes32 dealId, address account, address expected) internal pure {
        if (account != expected) revert DealEscrowUnauthorized(dealId, account, expected);
    }

    /// @dev Which party `account` is, as a proposer flag, or a revert.
    function _partyOf(
        bytes32 dealId,
        DealTerms.StoredDeal storage deal,
        address account
    ) internal view returns (uint8) {
        if (account == deal.supplier) return Milestones.PROPOSED_BY_SUPPLIER;
        if (account == deal.demander) return Milestones.PROPOSED_BY_DEMANDER;
        revert DealEscrowNotParty(dealId, account);
    }

    function _actionHash(
        bytes32 dealId,
        uint8 milestone,
        Action action,
        bytes32 data,
        uint96 release,
        uint96 refund,
        uint32 nonce
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(ACTION_TYPEHASH, dealId, milestone, action, data, release, refund, nonce));
    }

    /// @inheritdoc RelayedSignatures
    function _domainName() internal pure override returns (string memory) {
        return "TechTransferLedger DealEscrow";
    }

    /// @inheritdoc RelayedSignatures
    function _domainVersion() internal pure override returns (string memory) {
        return "1";
    }
}
