// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title TimeLockVault: holds ether until a timestamp, written for the Koans Ethereum katas.
/// @notice Storage layout (see the artifact's storageLayout): slot 0 owner, slot 1 unlockTime, slot 2 secret.
/// `secret` is private, which only hides it from other contracts' Solidity code: every node stores it in the clear,
/// and eth_getStorageAt reads it.
contract TimeLockVault {
    address public owner;
    uint256 public unlockTime;
    bytes32 private secret;

    event Deposited(address indexed from, uint256 amount);
    event Withdrawn(address indexed to, uint256 amount);

    error NotOwner(address caller);
    error StillLocked(uint256 currentTime, uint256 unlockTime);

    constructor(uint256 lockSeconds, bytes32 secret_) payable {
        owner = msg.sender;
        unlockTime = block.timestamp + lockSeconds;
        secret = secret_;
        emit Deposited(msg.sender, msg.value);
    }

    function isUnlocked() external view returns (bool) {
        return block.timestamp >= unlockTime;
    }

    function withdraw() external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        if (block.timestamp < unlockTime) revert StillLocked(block.timestamp, unlockTime);
        uint256 amount = address(this).balance;
        emit Withdrawn(msg.sender, amount);
        (bool sent, ) = payable(msg.sender).call{value: amount}("");
        require(sent, "TimeLockVault: ether transfer failed");
    }
}
