using System.Numerics;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.Keccak;
using Koans.Ethereum.KeysToAddress;
using Koans.Ethereum.Transfer;
using Koans.Testing.Chain;

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
}
