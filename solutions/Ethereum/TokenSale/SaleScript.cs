using System.Numerics;
using System.Text.Json;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.KeysToAddress;
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

/// <summary>Reference solution for ethereum.token-sale.</summary>
/// <remarks>
/// A script, application code run from a console or a test, where there is no SynchronizationContext to leave: no
/// ConfigureAwait (the libraries underneath, TransactionSender and EthRpcClient, do use ConfigureAwait(false)).
/// </remarks>
public sealed class SaleScript(TransactionSender sender)
{
    // The reverts TokenSale and KoansToken can raise, by selector (keccak256 of the signature, first 4 bytes).
    private static readonly (string Signature, string[] Types)[] KnownErrors =
    [
        ("SoldOut(uint256,uint256)", ["uint256", "uint256"]),
        ("NotOwner(address)", ["address"]),
        ("Error(string)", ["string"]),
        ("ERC20InsufficientBalance(address,uint256,uint256)", ["address", "uint256", "uint256"]),
    ];

    private static readonly string PurchasedTopic = EthHash.EventTopic("Purchased(address,uint256,uint256)");
    private static readonly string WithdrawnTopic = EthHash.EventTopic("Withdrawn(address,uint256)");
    private static readonly string TransferTopic = EthHash.EventTopic("Transfer(address,address,uint256)");

    public TransactionSender Sender { get; } = sender ?? throw new ArgumentNullException(nameof(sender));

    public async Task<SaleDeployment> DeployAsync(SalePlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        byte[] tokenInit = [.. plan.TokenBytecode, .. AbiCodec.Encode(["string", "string", "uint256"], ["Koans Token", "KOAN", plan.Supply])];
        var token = (await SendAsync(plan.OwnerKey, null, BigInteger.Zero, tokenInit, cancellationToken)).ContractAddress!;
        byte[] saleInit = [.. plan.SaleBytecode, .. AbiCodec.Encode(["address", "uint256"], [token, plan.TokensPerEth])];
        var sale = (await SendAsync(plan.OwnerKey, null, BigInteger.Zero, saleInit, cancellationToken)).ContractAddress!;
        // The sale sells what it holds: stock it with an ordinary ERC-20 transfer.
        await SendAsync(plan.OwnerKey, token, BigInteger.Zero, AbiCodec.EncodeCall("transfer(address,uint256)", sale, plan.Stock), cancellationToken);
        return new SaleDeployment(token, sale);
    }

    public async Task<Purchase> BuyAsync(string buyerKey, string sale, BigInteger valueWei, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(valueWei);
        var receipt = await SendAsync(buyerKey, sale, valueWei, AbiCodec.EncodeCall("buy()"), cancellationToken);
        var log = SingleLog(receipt, sale, PurchasedTopic, "Purchased");
        var amounts = AbiCodec.Decode(["uint256", "uint256"], log.Data);
        return new Purchase(receipt, TopicAddress(log.Topics[1]), (BigInteger)amounts[0], (BigInteger)amounts[1]);
    }

    public static IReadOnlyList<TokenTransfer> TransfersOf(TransactionReceipt receipt, string token)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(token);
        return
        [
            .. receipt.Logs
                .Where(l => l.Address.Equals(token, StringComparison.OrdinalIgnoreCase) && l.Topics.Count == 3 && l.Topics[0] == TransferTopic)
                .Select(l => new TokenTransfer(TopicAddress(l.Topics[1]), TopicAddress(l.Topics[2]), (BigInteger)AbiCodec.Decode(["uint256"], l.Data)[0])),
        ];
    }

    public async Task<BigInteger> TokenBalanceAsync(string token, string holder, CancellationToken cancellationToken = default)
    {
        var data = "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall("balanceOf(address)", holder));
        var call = new Dictionary<string, string> { ["to"] = token, ["data"] = data };
        var result = (await Sender.Rpc.CallAsync("eth_call", [call, "latest"], cancellationToken)).GetString()!;
        var output = Convert.FromHexString(result.AsSpan(2));
        return output.Length == 0
            ? throw new InvalidOperationException($"balanceOf on {token} returned no data: is there a token at that address?")
            : (BigInteger)AbiCodec.Decode(["uint256"], output)[0];
    }

    public async Task<Withdrawal> WithdrawAsync(string ownerKey, string sale, CancellationToken cancellationToken = default)
    {
        var receipt = await SendAsync(ownerKey, sale, BigInteger.Zero, AbiCodec.EncodeCall("withdraw()"), cancellationToken);
        var log = SingleLog(receipt, sale, WithdrawnTopic, "Withdrawn");
        return new Withdrawal(receipt, TopicAddress(log.Topics[1]), (BigInteger)AbiCodec.Decode(["uint256"], log.Data)[0]);
    }

    public async Task<SaleReport> RunAsync(SalePlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var owner = EthKeys.AddressFromPrivateKey(plan.OwnerKey);
        var deployment = await DeployAsync(plan, cancellationToken);
        var purchase = await BuyAsync(plan.BuyerKey, deployment.Sale, plan.PurchaseWei, cancellationToken);
        var buyerTokens = await TokenBalanceAsync(deployment.Token, purchase.Buyer, cancellationToken);
        var before = await Sender.Rpc.GetBalanceAsync(owner, cancellationToken: cancellationToken);
        var withdrawal = await WithdrawAsync(plan.OwnerKey, deployment.Sale, cancellationToken);
        var after = await Sender.Rpc.GetBalanceAsync(owner, cancellationToken: cancellationToken);
        return new SaleReport(deployment, purchase, buyerTokens, withdrawal, before, after);
    }

    /// <summary>Send, wait, and insist on status 1; a revert in the gas estimate becomes a decoded ContractRevertException.</summary>
    private async Task<TransactionReceipt> SendAsync(string key, string? to, BigInteger value, byte[] data, CancellationToken cancellationToken)
    {
        string hash;
        try
        {
            hash = await Sender.SendAsync(key, to, value, data, cancellationToken);
        }
        catch (JsonRpcException e) when (Decode(e) is { } revert)
        {
            throw revert;
        }

        var receipt = await Sender.WaitForReceiptAsync(hash, cancellationToken);
        return receipt.Succeeded
            ? receipt
            : throw new InvalidOperationException($"Transaction {hash} was mined but failed (status 0); it paid {receipt.Fee} wei of gas for nothing.");
    }

    private static ContractRevertException? Decode(JsonRpcException e)
    {
        if (e.ErrorData is not { ValueKind: JsonValueKind.String } data || data.GetString() is not { Length: >= 10 } hex || !hex.StartsWith("0x", StringComparison.Ordinal))
        {
            return null;
        }

        var bytes = Convert.FromHexString(hex.AsSpan(2));
        var selector = hex[..10];
        foreach (var (signature, types) in KnownErrors)
        {
            if (EthHash.FunctionSelector(signature) == selector)
            {
                return new ContractRevertException(signature, AbiCodec.Decode(types, bytes.AsSpan(4)));
            }
        }

        return null;
    }

    private static LogEntry SingleLog(TransactionReceipt receipt, string emitter, string topic, string name)
    {
        // Filter by emitter as well as topic: a token contract could emit an event with the same signature.
        var logs = receipt.Logs.Where(l => l.Address.Equals(emitter, StringComparison.OrdinalIgnoreCase) && l.Topics.Count > 1 && l.Topics[0] == topic).ToList();
        return logs.Count == 1
            ? logs[0]
            : throw new InvalidOperationException($"Expected one {name} event from {emitter} in {receipt.TransactionHash}, found {logs.Count}.");
    }

    // An indexed address is a topic: 32 bytes, the address right-aligned.
    private static string TopicAddress(string topic) => "0x" + topic[^40..].ToLowerInvariant();
}
