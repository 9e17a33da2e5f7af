// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IEvidenceRegistry} from "./interfaces/IEvidenceRegistry.sol";

/// @title EvidenceRegistry
/// @notice Keeps the Merkle roots of evidence batches with the block and time they were anchored.
/// @dev Uses no chain-specific feature and no value transfer, so it runs on any EVM chain,
/// including permissioned ones at gas price zero. Compiled for `paris`.
contract EvidenceRegistry is IEvidenceRegistry, AccessControl, Pausable {
    // ─── Constants ───────────────────────────────────────────────────────────

    /// @notice Role of the accounts (the gateway's anchoring keys) allowed to anchor roots.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @notice Role of the accounts allowed to pause and unpause anchoring.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    // ─── Storage ─────────────────────────────────────────────────────────────

    mapping(bytes32 root => Batch) private _batches;

    // ─── Constructor ─────────────────────────────────────────────────────────

    /// @param admin    Account that administers roles (the platform operator's governance key).
    /// @param anchorer First account allowed to anchor (the gateway's key); may be zero.
    constructor(address admin, address anchorer) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        if (anchorer != address(0)) _grantRole(ANCHORER_ROLE, anchorer);
    }

    // ─── External writes ─────────────────────────────────────────────────────

    /// @inheritdoc IEvidenceRegistry
    function anchorBatch(bytes32 root, uint32 recordCount) external onlyRole(ANCHORER_ROLE) whenNotPaused {
        if (root == bytes32(0)) revert EvidenceRegistryZeroRoot();
        if (recordCount == 0) revert EvidenceRegistryEmptyBatch(root);
        Batch storage batch = _batches[root];
        if (batch.blockNumber != 0) revert EvidenceRegistryRootAlreadyAnchored(root, batch.blockNumber);

        batch.blockNumber = uint64(block.number);
        batch.timestamp = uint64(block.timestamp);
        batch.recordCount = recordCount;
        emit BatchAnchored(root, recordCount, msg.sender);
    }

    /// @notice Stops anchoring, for an emergency (a leaked anchoring key, say).
    /// @dev Requirements: the caller holds `PAUSER_ROLE`. Emits a {Paused} event.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes anchoring. Requirements: the caller holds `PAUSER_ROLE`. Emits an {Unpaused} event.
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─── External reads ──────────────────────────────────────────────────────

    /// @inheritdoc IEvidenceRegistry
    function batchOf(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /// @inheritdoc IEvidenceRegistry
    function isAnchored(bytes32 root) external view returns (bool) {
        return _batches[root].blockNumber != 0;
    }

    /// @inheritdoc IEvidenceRegistry
    function verifyRecord(bytes32 root, bytes32 commitment, bytes32[] calldata proof) external view returns (bool) {
        if (_batches[root].blockNumber == 0) return false;
        return MerkleProof.verifyCalldata(proof, root, _leaf(commitment));
    }

    /// @inheritdoc IEvidenceRegistry
    function leafOf(bytes32 commitment) external pure returns (bytes32) {
        return _leaf(commitment);
    }

    /// @inheritdoc IEvidenceRegistry
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    // ─── Internal ────────────────────────────────────────────────────────────

    /// @dev The double hash of `@openzeppelin/merkle-tree`, which keeps a leaf from
    /// ever being read as an inner node (second-preimage resistance).
    function _leaf(bytes32 commitment) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(commitment))));
    }
}
