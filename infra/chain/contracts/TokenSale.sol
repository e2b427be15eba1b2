// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

interface IERC20Minimal {
    function transfer(address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// @title TokenSale: sells a token for ether at a fixed rate, written for the Koans Ethereum katas.
/// @notice 1 ether buys `tokensPerEth` whole tokens: buy() pays msg.value wei and receives msg.value * tokensPerEth
/// base units (for an 18-decimal token). The owner stocks the sale by transferring tokens to it, and withdraws the
/// ether it collected.
contract TokenSale {
    IERC20Minimal public immutable token;
    address public immutable owner;
    uint256 public immutable tokensPerEth;
    uint256 public totalSold;

    event Purchased(address indexed buyer, uint256 weiPaid, uint256 tokenAmount);
    event Withdrawn(address indexed to, uint256 amount);

    error NotOwner(address caller);
    error SoldOut(uint256 available, uint256 requested);

    constructor(address token_, uint256 tokensPerEth_) {
        require(token_ != address(0), "TokenSale: token is the zero address");
        require(tokensPerEth_ > 0, "TokenSale: rate is zero");
        token = IERC20Minimal(token_);
        owner = msg.sender;
        tokensPerEth = tokensPerEth_;
    }

    function buy() external payable returns (uint256 tokenAmount) {
        require(msg.value > 0, "TokenSale: send ether to buy");
        tokenAmount = msg.value * tokensPerEth;
        uint256 available = token.balanceOf(address(this));
        if (tokenAmount > available) revert SoldOut(available, tokenAmount);
        totalSold += tokenAmount;
        // Check the return value: some tokens return false instead of reverting.
        require(token.transfer(msg.sender, tokenAmount), "TokenSale: token transfer failed");
        emit Purchased(msg.sender, msg.value, tokenAmount);
    }

    function withdraw() external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        uint256 amount = address(this).balance;
        emit Withdrawn(owner, amount);
        (bool sent, ) = payable(owner).call{value: amount}("");
        require(sent, "TokenSale: ether transfer failed");
    }
}
