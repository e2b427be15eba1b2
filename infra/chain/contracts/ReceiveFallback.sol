// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ReceiveFallback: records which special function ran, written for the Koans Ethereum katas.
/// @notice A call with empty calldata runs receive(); a call whose selector matches no function runs fallback().
contract ReceiveFallback {
    uint256 public receiveCount;
    uint256 public fallbackCount;
    bytes public lastFallbackData;

    event Received(address indexed sender, uint256 value);
    event FallbackCalled(address indexed sender, uint256 value, bytes data);

    receive() external payable {
        receiveCount += 1;
        emit Received(msg.sender, msg.value);
    }

    fallback() external payable {
        fallbackCount += 1;
        lastFallbackData = msg.data;
        emit FallbackCalled(msg.sender, msg.value, msg.data);
    }
}
