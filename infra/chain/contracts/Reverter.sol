// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Reverter: fails in each of the three ways Solidity reverts, written for the Koans Ethereum katas.
/// @notice revert data is Error(string) (selector 0x08c379a0) for require/revert with a message,
/// Panic(uint256) (selector 0x4e487b71) for assert, arithmetic and division by zero, and the custom error's own
/// selector and ABI-encoded arguments for `revert CustomError(...)`.
contract Reverter {
    uint256 public counter;

    error InsufficientBalance(uint256 available, uint256 required);

    /// Error(string) through require.
    function requirePositive(uint256 value) external pure returns (uint256) {
        require(value > 0, "Reverter: value must be positive");
        return value;
    }

    /// Panic(0x12): division by zero.
    function divide(uint256 numerator, uint256 denominator) external pure returns (uint256) {
        return numerator / denominator;
    }

    /// Panic(0x11): arithmetic overflow (checked arithmetic, Solidity 0.8+).
    function increment(uint256 value) external pure returns (uint256) {
        return value + 1;
    }

    /// Panic(0x01): a failed assert.
    function assertEqual(uint256 a, uint256 b) external pure {
        assert(a == b);
    }

    /// The custom error InsufficientBalance(uint256,uint256).
    function withdraw(uint256 amount) external view {
        uint256 available = counter;
        if (amount > available) revert InsufficientBalance(available, amount);
    }

    /// A bare revert(): empty revert data.
    function revertWithoutReason() external pure {
        revert();
    }

    /// State-changing, to show that a reverted transaction still costs gas and changes nothing.
    function incrementCounterThenFail(bool fail) external {
        counter += 1;
        require(!fail, "Reverter: asked to fail");
    }
}
