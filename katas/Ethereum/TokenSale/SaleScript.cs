using System.Numerics;
using Koans.Ethereum.Transfer;

namespace Koans.Ethereum.TokenSale;

/// <summary>What <see cref="SaleScript.RunAsync"/> does: who deploys and who buys, the two contracts' creation bytecode, and the numbers.</summary>
/// <param name="OwnerKey">Deploys both contracts, stocks the sale, withdraws the proceeds (0x hex private key).</param>
/// <param name="BuyerKey">Buys tokens with ether.</param>
/// <param name="TokenBytecode">KoansToken's creation bytecode: constructor(string name_, string symbol_, uint256 initialSupply).</param>
/// <param name="SaleBytecode">TokenSale's creation bytecode: constructor(address token_, uint256 tokensPerEth_).</param>
/// <param name="Supply">The token's initial supply in base units (18 decimals), all minted to the owner.</param>
/// <param name="TokensPerEth">Whole tokens per ether: buy() gives msg.value * TokensPerEth base units.</param>
/// <param name="Stock">Base units the owner transfers to the sale so it has something to sell.</param>
/// <param name="PurchaseWei">What the buyer pays, in wei.</param>
public sealed record SalePlan(
    string OwnerKey, string BuyerKey, byte[] TokenBytecode, byte[] SaleBytecode,
    BigInteger Supply, BigInteger TokensPerEth, BigInteger Stock, BigInteger PurchaseWei);

/// <summary>The two deployed contracts (0x lowercase addresses, as receipts give them).</summary>
public sealed record SaleDeployment(string Token, string Sale);

/// <summary>One buy(), from the sale's <c>Purchased(address indexed buyer, uint256 weiPaid, uint256 tokenAmount)</c> event.</summary>
public sealed record Purchase(TransactionReceipt Receipt, string Buyer, BigInteger WeiPaid, BigInteger TokenAmount);

/// <summary>One ERC-20 <c>Transfer(address indexed from, address indexed to, uint256 value)</c> event (0x lowercase addresses).</summary>
public sealed record TokenTransfer(string From, string To, BigInteger Value);

/// <summary>One withdraw(), from the sale's <c>Withdrawn(address indexed to, uint256 amount)</c> event.</summary>
public sealed record Withdrawal(TransactionReceipt Receipt, string To, BigInteger Amount);

/// <summary>What the whole flow did: the owner's ether balance right before and right after the withdrawal.</summary>
public sealed record SaleReport(
    SaleDeployment Deployment, Purchase Purchase, BigInteger BuyerTokenBalance, Withdrawal Withdrawal,
    BigInteger OwnerBalanceBeforeWithdraw, BigInteger OwnerBalanceAfterWithdraw);

/// <summary>
/// A revert the node reported, decoded: <see cref="Error"/> is the error's signature ("SoldOut(uint256,uint256)",
/// "NotOwner(address)", "Error(string)" for require messages), <see cref="Arguments"/> its decoded arguments.
/// </summary>
public sealed class ContractRevertException(string error, IReadOnlyList<object> arguments)
    : InvalidOperationException($"The contract reverted with {error}: [{string.Join(", ", arguments)}]")
{
    public string Error { get; } = error;

    public IReadOnlyList<object> Arguments { get; } = arguments;
}

/// <summary>
/// Kata ethereum.token-sale, the capstone: a C# "script" that deploys KoansToken and TokenSale, stocks the sale, buys
/// tokens with ether, reads the events and balances, and withdraws the proceeds as the owner.
/// </summary>
/// <remarks>
/// <para>Everything is a tool you built: <c>AbiCodec</c> (ethereum.abi), <c>EthHash.EventTopic</c> /
/// <c>FunctionSelector</c> (ethereum.keccak), <see cref="TransactionSender"/> and <see cref="TransactionReceipt"/> /
/// <see cref="LogEntry"/> (ethereum.transfer).</para>
/// <para>Reverts: <c>SendAsync</c> runs <c>eth_estimateGas</c> first, so a call that would revert fails there with a
/// <c>JsonRpcException</c> whose <c>ErrorData</c> is the revert data as a 0x string: a 4-byte selector (the first bytes
/// of keccak256 of the error's signature) and the ABI-encoded arguments. Decode the ones TokenSale and KoansToken can
/// raise: <c>SoldOut(uint256,uint256)</c>, <c>NotOwner(address)</c>, <c>Error(string)</c> (require messages),
/// <c>ERC20InsufficientBalance(address,uint256,uint256)</c>; anything else stays the node's <c>JsonRpcException</c>.</para>
/// <para>A mined transaction with status 0 (it can happen when the state changes between estimate and inclusion) is an
/// <see cref="InvalidOperationException"/>: never report a failed transaction as a purchase.</para>
/// </remarks>
public sealed class SaleScript(TransactionSender sender)
{
    public TransactionSender Sender { get; } = sender ?? throw new ArgumentNullException(nameof(sender));

    /// <summary>
    /// Deploys KoansToken("Koans Token", "KOAN", plan.Supply) and TokenSale(token, plan.TokensPerEth) as the owner, then
    /// transfers plan.Stock base units of the token to the sale.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
    /// <exception cref="ContractRevertException">A constructor or the stocking transfer reverted (TokenSale requires a non-zero rate).</exception>
    public Task<SaleDeployment> DeployAsync(SalePlan plan, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// Calls <c>buy()</c> on <paramref name="sale"/> paying <paramref name="valueWei"/>; returns the decoded Purchased
    /// event: the one log of the receipt that <paramref name="sale"/> itself emitted with Purchased's topic 0 and the
    /// buyer as topic 1. A receipt without exactly one such log is an <see cref="InvalidOperationException"/>: whatever
    /// answered at that address is not the sale it claims to be.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="valueWei"/> is zero or negative: refused before anything is sent (the contract would revert anyway).</exception>
    /// <exception cref="ContractRevertException">The sale refused: SoldOut(available, requested), ...</exception>
    public Task<Purchase> BuyAsync(string buyerKey, string sale, BigInteger valueWei, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The Transfer events that <paramref name="token"/> emitted in <paramref name="receipt"/>: logs from that address
    /// whose topic 0 is keccak256("Transfer(address,address,uint256)"); from and to are the indexed topics 1 and 2 (an
    /// address right-aligned in 32 bytes), value is the data; in log order. <paramref name="token"/> may be spelled in
    /// any case. Logs of other contracts are ignored: anyone can emit an event named Transfer. So is a log with other
    /// than three topics: an ERC-721 Transfer has the same signature, so the same topic 0, but indexes its token id too.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="receipt"/> or <paramref name="token"/> is null.</exception>
    public static IReadOnlyList<TokenTransfer> TransfersOf(TransactionReceipt receipt, string token) =>
        throw new NotImplementedException();

    /// <summary><c>balanceOf(holder)</c> on <paramref name="token"/> with eth_call.</summary>
    /// <exception cref="InvalidOperationException">The call returned no data (no contract at <paramref name="token"/>): never a balance of zero.</exception>
    public Task<BigInteger> TokenBalanceAsync(string token, string holder, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Calls <c>withdraw()</c> on <paramref name="sale"/>; returns the decoded Withdrawn event (the sale's own, as for <see cref="BuyAsync"/>).</summary>
    /// <exception cref="ContractRevertException">NotOwner(caller) for anyone but the deployer.</exception>
    public Task<Withdrawal> WithdrawAsync(string ownerKey, string sale, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>
    /// The whole flow: deploy and stock, buy plan.PurchaseWei worth as the buyer, read the buyer's token balance, then
    /// withdraw as the owner, reading the owner's ether balance right before and right after the withdrawal.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="plan"/> is null.</exception>
    public Task<SaleReport> RunAsync(SalePlan plan, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
