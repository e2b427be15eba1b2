using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.KeysToAddress;
using Koans.Ethereum.Transfer;
using Koans.Testing;
using Koans.Testing.Chain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.TokenSale;

public class SaleScriptTests(AnvilFixture chain) : ChainTest(chain), IDisposable
{
    // infra/chain/contracts/KoansToken.sol and TokenSale.sol, compiled by infra/chain/compile.js.
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly ContractArtifact Sale = ContractArtifact.Load("TokenSale");

    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static readonly BigInteger WholeToken = BigInteger.Pow(10, 18);
    private readonly HttpClient http = new();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (Chain.PrivateKeys.Count < 2)
        {
            // KOANS_CHAIN=rpc has one funded key (KOANS_PRIVATE_KEY); the sale needs an owner and a separate buyer.
            Assert.Skip("This kata needs two funded accounts (an owner and a buyer): unset KOANS_CHAIN to run it on a local Anvil with its ten test accounts.");
        }
    }

    private SaleScript Script => new(new TransactionSender(new EthRpcClient(http, Chain.RpcUrl)));

    private string OwnerKey => Chain.PrivateKeys[0];

    private string BuyerKey => Chain.PrivateKeys[1];

    private string Owner => EthKeys.AddressFromPrivateKey(OwnerKey).ToLowerInvariant();

    private string Buyer => EthKeys.AddressFromPrivateKey(BuyerKey).ToLowerInvariant();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>1,000,000 tokens minted, 100 tokens per ether, 10,000 tokens on sale, the buyer pays 1.5 ether.</summary>
    private SalePlan Plan(BigInteger? tokensPerEth = null, BigInteger? stock = null) => new(
        OwnerKey, BuyerKey, Token.Bytecode, Sale.Bytecode,
        Supply: 1_000_000 * WholeToken, TokensPerEth: tokensPerEth ?? 100, Stock: stock ?? 10_000 * WholeToken, PurchaseWei: 3 * Ether / 2);

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<BigInteger> ViewAsync(string contract, string signature, params object[] args)
    {
        var data = "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall(signature, args));
        var result = (await Script.Sender.Rpc.CallAsync("eth_call", [new Dictionary<string, string> { ["to"] = contract, ["data"] = data }, "latest"], Ct)).GetString()!;
        return (BigInteger)AbiCodec.Decode(["uint256"], Convert.FromHexString(result.AsSpan(2)))[0];
    }

    [Fact]
    public async Task The_script_runs_the_sale_and_the_owner_gains_the_proceeds_minus_the_withdrawal_gas_to_the_wei()
    {
        var plan = Plan();

        var report = await Script.RunAsync(plan, Ct);

        report.Purchase.TokenAmount.Should().Be(150 * WholeToken, "TokenSale.buy() gives msg.value * tokensPerEth base units: 1.5 ether * 100 = 150 tokens");
        report.BuyerTokenBalance.Should().Be(150 * WholeToken, "the buyer held no tokens before");
        report.Withdrawal.Amount.Should().Be(plan.PurchaseWei, "the sale's whole ether balance is the one purchase");
        report.OwnerBalanceAfterWithdraw.Should().Be(report.OwnerBalanceBeforeWithdraw + plan.PurchaseWei - report.Withdrawal.Receipt.GasUsed * report.Withdrawal.Receipt.EffectiveGasPrice,
            "the owner receives the proceeds and pays gasUsed * effectiveGasPrice from the withdrawal's receipt, exactly: ether accounting is integer wei, never approximate");
        (await Script.Sender.Rpc.GetBalanceAsync(Owner, cancellationToken: Ct)).Should().Be(report.OwnerBalanceAfterWithdraw, "the report's balance is the node's");
        (await Script.Sender.Rpc.GetBalanceAsync(report.Deployment.Sale, cancellationToken: Ct)).Should().Be(BigInteger.Zero, "withdraw() empties the sale");
    }

    [Fact]
    public async Task A_purchase_emits_Purchased_from_the_sale_and_Transfer_from_the_token()
    {
        var script = Script;
        var deployment = await script.DeployAsync(Plan(), Ct);

        var purchase = await script.BuyAsync(BuyerKey, deployment.Sale, Ether / 4, Ct);

        purchase.Receipt.Succeeded.Should().BeTrue();
        purchase.Buyer.Should().Be(Buyer, "Purchased's indexed buyer is msg.sender, right-aligned in topic 1");
        purchase.WeiPaid.Should().Be(Ether / 4, "weiPaid is msg.value");
        purchase.TokenAmount.Should().Be(25 * WholeToken, "0.25 ether * 100 tokens per ether");
        purchase.Receipt.Logs.Should().Contain(l => l.Topics[0] == EthHash.EventTopic("Purchased(address,uint256,uint256)"), "the event's topic 0 is keccak256 of its signature");
        SaleScript.TransfersOf(purchase.Receipt, deployment.Token).Should().Equal(
            [new TokenTransfer(deployment.Sale.ToLowerInvariant(), Buyer, 25 * WholeToken)],
            "the sale's token.transfer(msg.sender, amount) makes the token emit Transfer(sale, buyer, amount) in the same receipt");
        SaleScript.TransfersOf(purchase.Receipt, deployment.Sale).Should().BeEmpty("the sale itself emits no Transfer: filter logs by the emitting contract");
    }

    [Fact]
    public async Task Tokens_move_from_the_sale_to_the_buyer_and_ether_from_the_buyer_to_the_sale()
    {
        var script = Script;
        var deployment = await script.DeployAsync(Plan(), Ct);
        var buyerEthBefore = await script.Sender.Rpc.GetBalanceAsync(Buyer, cancellationToken: Ct);

        var purchase = await script.BuyAsync(BuyerKey, deployment.Sale, 2 * Ether, Ct);

        (await script.TokenBalanceAsync(deployment.Token, Buyer, Ct)).Should().Be(200 * WholeToken);
        (await script.TokenBalanceAsync(deployment.Token, deployment.Sale, Ct)).Should().Be(9_800 * WholeToken, "the sale was stocked with 10,000 tokens and sold 200");
        (await ViewAsync(deployment.Sale, "totalSold()")).Should().Be(200 * WholeToken, "totalSold counts base units sold");
        (await script.Sender.Rpc.GetBalanceAsync(deployment.Sale, cancellationToken: Ct)).Should().Be(2 * Ether, "the sale keeps the ether until the owner withdraws");
        (await script.Sender.Rpc.GetBalanceAsync(Buyer, cancellationToken: Ct)).Should().Be(buyerEthBefore - 2 * Ether - purchase.Receipt.Fee,
            "the buyer pays the value plus gasUsed * effectiveGasPrice");
    }

    [Fact]
    public async Task A_withdrawal_by_anyone_but_the_owner_reverts_with_NotOwner()
    {
        var script = Script;
        var deployment = await script.DeployAsync(Plan(), Ct);
        await script.BuyAsync(BuyerKey, deployment.Sale, Ether, Ct);

        var act = () => script.WithdrawAsync(BuyerKey, deployment.Sale, Ct);

        var revert = (await act.Should().ThrowAsync<ContractRevertException>("withdraw() starts with if (msg.sender != owner) revert NotOwner(msg.sender)")).Which;
        revert.Error.Should().Be("NotOwner(address)", "the revert data's selector is that of NotOwner(address)");
        revert.Arguments.Should().Equal([Buyer], "the error names the caller");
        (await script.Sender.Rpc.GetBalanceAsync(deployment.Sale, cancellationToken: Ct)).Should().Be(Ether, "the proceeds stay in the sale");
    }

    [Fact]
    public async Task Buying_with_zero_ether_is_refused_before_sending_and_the_contract_would_revert_too()
    {
        var script = Script;
        var deployment = await script.DeployAsync(Plan(), Ct);
        var nonce = await script.Sender.Rpc.GetTransactionCountAsync(Buyer, cancellationToken: Ct);

        var act = () => script.BuyAsync(BuyerKey, deployment.Sale, BigInteger.Zero, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("buying nothing is a caller's mistake: refuse it without spending a request or gas");
        (await script.Sender.Rpc.GetTransactionCountAsync(Buyer, cancellationToken: Ct)).Should().Be(nonce, "nothing was sent");
        var call = new Dictionary<string, string> { ["from"] = Buyer, ["to"] = deployment.Sale, ["data"] = "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall("buy()")) };
        var onChain = () => script.Sender.Rpc.CallAsync("eth_call", [call, "latest"], Ct);
        var revert = (await onChain.Should().ThrowAsync<JsonRpcException>("TokenSale.buy() begins with require(msg.value > 0, ...)")).Which;
        AbiCodec.DecodeCall("Error(string)", Convert.FromHexString(revert.ErrorData!.Value.GetString()!.AsSpan(2))).Should().Equal(["TokenSale: send ether to buy"],
            "a require message is ABI-encoded as Error(string), selector 0x08c379a0");
    }

    [Fact]
    public async Task Buying_more_than_the_sale_holds_reverts_with_SoldOut()
    {
        var script = Script;
        var deployment = await script.DeployAsync(Plan(stock: 1_000 * WholeToken), Ct);

        var act = () => script.BuyAsync(BuyerKey, deployment.Sale, 11 * Ether, Ct);

        var revert = (await act.Should().ThrowAsync<ContractRevertException>("11 ether buys 1,100 tokens and the sale holds 1,000")).Which;
        revert.Error.Should().Be("SoldOut(uint256,uint256)");
        revert.Arguments.Should().Equal([1_000 * WholeToken, 1_100 * WholeToken], "SoldOut(available, requested), in base units");
        (await script.TokenBalanceAsync(deployment.Token, Buyer, Ct)).Should().Be(BigInteger.Zero, "a revert undoes everything");
    }

    [Fact]
    public async Task A_sale_with_a_zero_rate_is_refused_by_its_constructor()
    {
        var act = () => Script.DeployAsync(Plan(tokensPerEth: 0), Ct);

        var revert = (await act.Should().ThrowAsync<ContractRevertException>("TokenSale's constructor requires tokensPerEth_ > 0")).Which;
        revert.Error.Should().Be("Error(string)");
        revert.Arguments.Should().Equal(["TokenSale: rate is zero"], "the require message comes back in the revert data");
    }

    // ---- TransfersOf on receipts written by hand (no chain needed). ----

    // keccak256("Transfer(address,address,uint256)"): `cast keccak "Transfer(address,address,uint256)"` (Foundry cast
    // 1.7.1) prints it, and every ERC-20 Transfer log on mainnet carries it as topic 0 (ethereum.keccak's test).
    private const string TransferTopic0 = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    private const string TokenAddress = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string FromAddress = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private const string ToAddress = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    private static string Topic(string address) => "0x000000000000000000000000" + address[2..];

    private static byte[] Word(BigInteger value) => AbiCodec.Encode(["uint256"], [value]);

    private static LogEntry Log(string emitter, IReadOnlyList<string> topics, byte[] data, ulong index) =>
        new(emitter, topics, data, 7, "0x" + new string('a', 64), index);

    private static TransactionReceipt ReceiptWith(params LogEntry[] logs) =>
        new("0x" + new string('a', 64), 7, true, FromAddress, TokenAddress, null, 50_000, 1_000_000_000, logs);

    [Fact]
    public void TransfersOf_reads_from_to_and_value_from_the_topics_and_the_data_of_a_fixed_log()
    {
        var receipt = ReceiptWith(Log(TokenAddress, [TransferTopic0, Topic(FromAddress), Topic(ToAddress)], Word(1234567), 0));

        SaleScript.TransfersOf(receipt, TokenAddress).Should().Equal(
            [new TokenTransfer(FromAddress, ToAddress, 1234567)],
            "from is topic 1 and to is topic 2, each an address right-aligned in 32 bytes; the value is the 32-byte data word");
    }

    [Fact]
    public void TransfersOf_matches_the_token_address_whatever_its_case()
    {
        const string Checksummed = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        var receipt = ReceiptWith(Log(TokenAddress, [TransferTopic0, Topic(FromAddress), Topic(ToAddress)], Word(5), 0));

        SaleScript.TransfersOf(receipt, Checksummed).Should().ContainSingle(
            "receipts spell addresses in lowercase and callers often in EIP-55 mixed case: the same 20 bytes, so compare without case");
    }

    [Fact]
    public void TransfersOf_keeps_the_token_s_transfers_in_log_order_and_ignores_everything_else()
    {
        const string OtherContract = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
        var approvalTopic0 = EthHash.EventTopic("Approval(address,address,uint256)");
        var receipt = ReceiptWith(
            Log(TokenAddress, [TransferTopic0, Topic(FromAddress), Topic(ToAddress)], Word(1), 0),
            Log(OtherContract, [TransferTopic0, Topic(FromAddress), Topic(ToAddress)], Word(1_000_000), 1),
            Log(TokenAddress, [approvalTopic0, Topic(FromAddress), Topic(ToAddress)], Word(99), 2),
            Log(TokenAddress, [TransferTopic0, Topic(ToAddress), Topic(FromAddress)], Word(2), 3));

        SaleScript.TransfersOf(receipt, TokenAddress).Should().Equal(
            [new TokenTransfer(FromAddress, ToAddress, 1), new TokenTransfer(ToAddress, FromAddress, 2)],
            "another contract's Transfer is a fake (anyone can emit one) and the token's Approval is not a transfer");
    }

    [Fact]
    public void TransfersOf_skips_an_ERC721_Transfer_that_shares_the_topic_but_indexes_its_token_id()
    {
        // ERC-721's Transfer(address indexed from, address indexed to, uint256 indexed tokenId) has the same signature,
        // so the same topic 0, but four topics and no data: it moves an NFT, not an amount.
        var receipt = ReceiptWith(
            Log(TokenAddress, [TransferTopic0, Topic(FromAddress), Topic(ToAddress), "0x" + Convert.ToHexStringLower(Word(42))], [], 0),
            Log(TokenAddress, [TransferTopic0, Topic(FromAddress), Topic(ToAddress)], Word(7), 1));

        SaleScript.TransfersOf(receipt, TokenAddress).Should().Equal(
            [new TokenTransfer(FromAddress, ToAddress, 7)],
            "an ERC-20 Transfer log has exactly three topics; decoding an NFT's empty data as an amount would throw or invent a value");
    }

    [Fact]
    public void TransfersOf_refuses_a_null_receipt_or_token_by_name()
    {
        var receipt = ReceiptWith();

        FluentActions.Invoking(() => SaleScript.TransfersOf(null!, TokenAddress)).Should().Throw<ArgumentNullException>().WithParameterName("receipt");
        FluentActions.Invoking(() => SaleScript.TransfersOf(receipt, null!)).Should().Throw<ArgumentNullException>(
            "a null token would match no log and hide the caller's bug behind an empty list").WithParameterName("token");
    }

    // ---- Online edges. ----

    [Fact]
    public async Task A_null_plan_is_refused_by_name()
    {
        var script = Script;

        await FluentActions.Awaiting(() => script.DeployAsync(null!, Ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("plan");
        await FluentActions.Awaiting(() => script.RunAsync(null!, Ct)).Should().ThrowAsync<ArgumentNullException>().WithParameterName("plan");
    }

    [Fact]
    public async Task The_balance_of_an_address_without_code_is_an_error_not_zero()
    {
        var act = () => Script.TokenBalanceAsync(Buyer, Owner, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "eth_call to an account without code succeeds with empty output: reading that as a balance of 0 hides a wrong token address");
    }

    // ---- Receipts the node reports, from a fake node on 127.0.0.1 (the chain cannot mine these on demand). ----

    private const string SaleAddress = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private const string ImpostorAddress = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    private static readonly string PurchasedTopic0 = EthHash.EventTopic("Purchased(address,uint256,uint256)");

    private static JsonObject PurchasedLog(string emitter, bool withBuyerTopic = true) => new()
    {
        ["address"] = emitter,
        ["topics"] = withBuyerTopic ? new JsonArray(PurchasedTopic0, Topic(FromAddress)) : new JsonArray(PurchasedTopic0),
        ["data"] = "0x" + Convert.ToHexStringLower(AbiCodec.Encode(["uint256", "uint256"], [Ether, 100 * WholeToken])),
        ["blockNumber"] = "0x7",
        ["transactionHash"] = "0x" + new string('b', 64),
        ["logIndex"] = "0x0",
    };

    /// <summary>
    /// A JSON-RPC node that accepts any transaction and reports <paramref name="status"/> and <paramref name="logs"/> in
    /// its receipt: what a real chain does when the state changed between the gas estimate and the block.
    /// </summary>
    private static Task<LoopbackHttpServer> FakeNodeAsync(string status, params JsonObject[] logs) => LoopbackHttpServer.StartAsync(app =>
        app.MapPost("/", async (HttpRequest request) =>
        {
            using var call = await JsonDocument.ParseAsync(request.Body);
            JsonNode? result = call.RootElement.GetProperty("method").GetString() switch
            {
                "eth_chainId" => "0x7a69",
                "eth_getTransactionCount" => "0x0",
                "eth_maxPriorityFeePerGas" => "0x1",
                "eth_getBlockByNumber" => new JsonObject { ["baseFeePerGas"] = "0x1" },
                "eth_estimateGas" => "0x30000",
                "eth_sendRawTransaction" => "0x" + new string('b', 64),
                "eth_getTransactionReceipt" => new JsonObject
                {
                    ["transactionHash"] = "0x" + new string('b', 64), ["blockNumber"] = "0x7", ["status"] = status,
                    ["from"] = FromAddress, ["to"] = SaleAddress, ["contractAddress"] = null,
                    ["gasUsed"] = "0x20000", ["effectiveGasPrice"] = "0x3", ["logs"] = new JsonArray([.. logs.Select(l => l.DeepClone())]),
                },
                var other => throw new InvalidOperationException($"The fake node does not answer {other}."),
            };
            var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = call.RootElement.GetProperty("id").GetInt64(), ["result"] = result };
            return Results.Content(answer.ToJsonString(), "application/json");
        }), TestContext.Current.CancellationToken);

    private SaleScript ScriptOn(LoopbackHttpServer node) => new(new TransactionSender(new EthRpcClient(http, node.BaseAddress)));

    [Fact]
    public async Task A_buy_mined_with_status_0_is_an_error_and_never_a_purchase()
    {
        await using var node = await FakeNodeAsync("0x0", PurchasedLog(SaleAddress));

        var act = () => ScriptOn(node).BuyAsync(BuyerKey, SaleAddress, Ether, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "the estimate passed but the mined transaction failed (status 0x0): it paid gas and bought nothing, whatever else the receipt holds");
    }

    [Fact]
    public async Task A_Purchased_event_that_another_contract_emitted_is_not_a_purchase()
    {
        await using var node = await FakeNodeAsync("0x1", PurchasedLog(ImpostorAddress));

        var act = () => ScriptOn(node).BuyAsync(BuyerKey, SaleAddress, Ether, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "any contract the sale calls can emit an event with Purchased's signature: only the sale's own event is the purchase");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_receipt_without_exactly_one_Purchased_event_from_the_sale_is_an_error(int events)
    {
        await using var node = await FakeNodeAsync("0x1", [.. Enumerable.Range(0, events).Select(_ => PurchasedLog(SaleAddress))]);

        var act = () => ScriptOn(node).BuyAsync(BuyerKey, SaleAddress, Ether, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "one buy() emits one Purchased; {0} of them means the address is not that sale, or the sale is not what it claims", events);
    }

    [Fact]
    public async Task A_Purchased_topic_without_the_buyer_topic_is_not_a_purchase()
    {
        await using var node = await FakeNodeAsync("0x1", PurchasedLog(SaleAddress, withBuyerTopic: false));

        var act = () => ScriptOn(node).BuyAsync(BuyerKey, SaleAddress, Ether, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "Purchased indexes its buyer: a log with topic 0 alone is some other event with the same name, and has no buyer to read");
    }
}
