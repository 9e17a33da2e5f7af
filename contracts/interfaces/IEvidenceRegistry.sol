// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Evidence registry of Tech Transfer Ledger
/// @notice Anchors the Merkle roots of batches of evidence records. A record is
/// proven to have existed at the anchored time by a Merkle proof from its
/// commitment to an anchored root.
/// @dev Leaves follow `@openzeppelin/merkle-tree`'s StandardMerkleTree with the
/// leaf encoding `["bytes32"]`: `leaf = keccak256(bytes.concat(keccak256(abi.encode(commitment))))`,
/// and pairs are hashed in sorted order. Anyone can recompute a proof off chain with
/// that public library and check it here with {verifyRecord}.
interface IEvidenceRegistry {
    // ─── Types ───────────────────────────────────────────────────────────────

    /// @notice What the registry keeps about an anchored batch root.
    /// @param blockNumber Block in which the root was anchored (0 if never anchored).
    /// @param timestamp   Block time of that block, in seconds since the epoch.
    /// @param recordCount Number of records (leaves) under the root, as stated by the anchorer.
    struct Batch {
        uint64 blockNumber;
        uint64 timestamp;
        uint32 recordCount;
    }

    // ─── Events ──────────────────────────────────────────────────────────────

    /// @notice A batch root was anchored.
    /// @param root        The Merkle root of the batch.
    /// @param recordCount Number of records under the root.
    /// @param anchorer    Account that anchored it.
    event BatchAnchored(bytes32 indexed root, uint32 recordCount, address indexed anchorer);

    // ─── Errors ──────────────────────────────────────────────────────────────

    /// @notice The root was already anchored, in block `blockNumber`.
    error EvidenceRegistryRootAlreadyAnchored(bytes32 root, uint64 blockNumber);

    /// @notice The zero root cannot be anchored (it is the marker of "never anchored").
    error EvidenceRegistryZeroRoot();

    /// @notice A batch must hold at least one record.
    error EvidenceRegistryEmptyBatch(bytes32 root);

    // ─── Writes ──────────────────────────────────────────────────────────────

    /// @notice Anchors the root of a batch of `recordCount` records.
    /// @dev Requirements:
    /// - the caller holds `ANCHORER_ROLE`;
    /// - the registry is not paused;
    /// - `root` is not zero and was never anchored before;
    /// - `recordCount` is at least 1.
    ///
    /// Emits a {BatchAnchored} event.
    function anchorBatch(bytes32 root, uint32 recordCount) external;

    // ─── Reads ───────────────────────────────────────────────────────────────

    /// @notice The batch anchored under `root`; all zeros when it was never anchored.
    function batchOf(bytes32 root) external view returns (Batch memory);

    /// @notice Whether `root` was anchored.
    function isAnchored(bytes32 root) external view returns (bool);

    /// @notice Whether the record commitment `commitment` is a leaf under the anchored `root`.
    /// @dev Returns false (never reverts) when the root is not anchored or the proof does not lead to it.
    function verifyRecord(bytes32 root, bytes32 commitment, bytes32[] calldata proof) external view returns (bool);

    /// @notice The leaf hash of a record commitment, as `@openzeppelin/merkle-tree` computes it.
    function leafOf(bytes32 commitment) external pure returns (bytes32);

    /// @notice Semantic version of this contract; the SDK refuses versions it does not know.
    function version() external pure returns (string memory);
}
