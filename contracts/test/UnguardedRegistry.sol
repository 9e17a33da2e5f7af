// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IEvidenceRegistry} from "../interfaces/IEvidenceRegistry.sol";

/// @title UnguardedRegistry (test only)
/// @notice A registry that answers like EvidenceRegistry but lets any account anchor,
/// without ANCHORER_ROLE: what the verifiers' anchorer check must catch should a
/// trusted address ever hold such a contract. Never deployed by scripts.
contract UnguardedRegistry is IEvidenceRegistry, AccessControl {
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    mapping(bytes32 root => Batch) private _batches;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @inheritdoc IEvidenceRegistry
    function anchorBatch(bytes32 root, uint32 recordCount) external {
        _batches[root] = Batch(uint64(block.number), uint64(block.timestamp), recordCount);
        emit BatchAnchored(root, recordCount, msg.sender);
    }

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
        return _batches[root].blockNumber != 0 && MerkleProof.verifyCalldata(proof, root, leafOf(commitment));
    }

    /// @inheritdoc IEvidenceRegistry
    function leafOf(bytes32 commitment) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(commitment))));
    }

    /// @inheritdoc IEvidenceRegistry
    function version() external pure returns (string memory) {
        return "1.0.0";
    }
}
