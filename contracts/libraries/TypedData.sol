// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title EIP-712 hashing for contracts compiled for `paris`
/// @notice The domain separator and typed-data digest of EIP-712, as OpenZeppelin's `EIP712` and
/// `MessageHashUtils.toTypedDataHash` compute them.
/// @dev OpenZeppelin 5.7's `EIP712` imports `Strings`, whose `Bytes` helper uses `mcopy`, an
/// instruction of Cancun that `paris` lacks; so the escrow hashes with this library instead. The
/// results are the same bytes (checked by the tests against ethers' `TypedDataEncoder`).
library TypedData {
    /// @notice Type hash of the domain: name, version, chain id and verifying contract.
    bytes32 internal constant DOMAIN_TYPEHASH = // Hashed at compile time, never stored.
    // solhint-disable-next-line gas-small-strings
    keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");

    /// @notice The domain separator for the hashed `name` and `version`, this chain and `verifyingContract`.
    function domainSeparator(
        bytes32 nameHash,
        bytes32 versionHash,
        address verifyingContract
    ) internal view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, nameHash, versionHash, block.chainid, verifyingContract));
    }

    /// @notice The digest a signer signs: `keccak256("\x19\x01" ‖ domainSeparator ‖ structHash)`.
    function digest(bytes32 separator, bytes32 structHash) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(hex"1901", separator, structHash));
    }
}
