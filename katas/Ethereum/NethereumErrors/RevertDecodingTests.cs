using System.Numerics;
using Koans.Testing;
using Koans.Testing.Chain;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.NethereumErrors;

public class RevertDecodingTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/Reverter.sol and KoansToken.sol, compiled to infra/chain/artifacts by solc 0.8.30.
    private static readonly ContractArtifact ReverterArtifact = ContractArtifact.Load("Reverter");
    private static readonly ContractArtifact TokenArtifact = ContractArtifact.Load("KoansToken");
    private static readonly BigInteger MaxUint256 = BigInteger.Pow(2, 256) - 1;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Web3 Web3 => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[0], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string Sender => Web3.TransactionManager.Account.Address;

    private async Task<string> DeployReverterAsync() =>
        (await Web3.Eth.GetContractDeploymentHandler<ReverterDeployment>()
            .SendRequestAndWaitForReceiptAsync(new ReverterDeployment("0x" + Convert.ToHexStringLower(ReverterArtifact.Bytecode)), Ct)).ContractAddress;

    private async Task<BigInteger> NonceAsync() => (await Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(Sender)).Value;

    [Fact]
    public async Task A_call_that_succeeds_has_no_revert_reason()
    {
        var reverter = await DeployReverterAsync();

        (await Reverts.WhyWouldItRevertAsync(Web3, reverter, new RequirePositiveFunction { Value = 7 }, Ct)).Should().BeNull(
            "requirePositive(7) returns 7: nothing to explain");
        (await Reverts.WhyWouldItRevertAsync(Web3, reverter, new DivideFunction { Numerator = 1, Denominator = 1 }, Ct)).Should().BeNull();
    }

    [Fact]
    public async Task A_require_message_is_decoded_from_Error_string()
    {
        var reverter = await DeployReverterAsync();

        var reason = await Reverts.WhyWouldItRevertAsync(Web3, reverter, new RequirePositiveFunction { Value = 0 }, Ct);

        reason.Should().Be(new ErrorMessage("Reverter: value must be positive"),
            "require(value > 0, \"...\") reverts with Error(string): selector 0x08c379a0, then the ABI-encoded message");
    }

    [Fact]
    public async Task Compiler_checks_revert_with_the_Panic_code_that_names_them()
    {
        var reverter = await DeployReverterAsync();

        (await Reverts.WhyWouldItRevertAsync(Web3, reverter, new DivideFunction { Numerator = 1, Denominator = 0 }, Ct))
            .Should().Be(new Panic(0x12), "Solidity docs: Panic(0x12) is division or modulo by zero");
        (await Reverts.WhyWouldItRevertAsync(Web3, reverter, new IncrementFunction { Value = MaxUint256 }, Ct))
            .Should().Be(new Panic(0x11), "Panic(0x11) is arithmetic overflow: checked arithmetic since Solidity 0.8");
        (await Reverts.WhyWouldItRevertAsync(Web3, reverter, new AssertEqualFunction { A = 1, B = 2 }, Ct))
            .Should().Be(new Panic(0x01), "Panic(0x01) is a failed assert: a bug in the contract, not bad input (that is what require is for)");
    }

    [Fact]
    public async Task A_custom_error_is_decoded_with_its_arguments()
    {
        var reverter = await DeployReverterAsync();

        var reason = await Reverts.WhyWouldItRevertAsync(Web3, reverter, new WithdrawFunction { Amount = 5 }, Ct);

        var error = reason.Should().BeOfType<KnownCustomError>("withdraw(5) reverts with InsufficientBalance(available, required)")
            .Which.Error.Should().BeOfType<InsufficientBalanceError>().Which;
        error.Available.Should().Be(BigInteger.Zero, "the first argument: the counter is 0");
        error.Required.Should().Be(new BigInteger(5), "the second argument: what was asked for");
    }

    [Fact]
    public async Task A_bare_revert_is_unknown_with_empty_data()
    {
        var reverter = await DeployReverterAsync();

        var reason = await Reverts.WhyWouldItRevertAsync(Web3, reverter, new RevertWithoutReasonFunction(), Ct);

        reason.Should().Be(new UnknownRevert("0x"), "revert() carries no data: say so, do not invent a message");
    }

    [Fact]
    public async Task Another_contract_s_custom_error_is_kept_raw_not_guessed()
    {
        var token = (await Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            TokenArtifact.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(TokenArtifact.Bytecode), Sender, new Nethereum.Hex.HexTypes.HexBigInteger(3_000_000), Ct,
            "Koans Token", "KOAN", BigInteger.One)).ContractAddress;
        // transfer(address,uint256) through a message of this kata's shape: KoansToken reverts with
        // ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed) (ERC-6093), selector 0xe450d38c:
        // cd infra/chain && node -e "console.log(require('js-sha3').keccak256('ERC20InsufficientBalance(address,uint256,uint256)').slice(0,8))"
        var reason = await Reverts.WhyWouldItRevertAsync(Web3, token, new TokenTransferFunction { To = Sender, Value = 2 }, Ct);

        var data = reason.Should().BeOfType<UnknownRevert>(
            "ERC20InsufficientBalance is not InsufficientBalance: decoding it as one would read the sender's address as `available`").Which.Data;
        data.Should().StartWith("0xe450d38c", "the raw data starts with the error's selector");
        data.Should().HaveLength(2 + 8 + (3 * 64), "and keeps its three argument words, lowercase hex");
        data.Should().Be(data.ToLowerInvariant());
    }

    [Fact]
    public void Decode_refuses_an_exception_that_is_not_a_revert()
    {
        var outage = new RpcClientUnknownException("Error occurred when trying to send rpc requests(s): connection refused", new HttpRequestException("connection refused"));

        var act = () => Reverts.Decode(outage);

        act.Should().Throw<ArgumentException>("a node that cannot be reached has not decided anything: reporting it as a revert would hide an outage");
    }

    [Fact]
    public async Task A_transaction_that_reverts_on_chain_is_not_swallowed()
    {
        var reverter = await DeployReverterAsync();
        var nonce = await NonceAsync();

        var act = () => Reverts.SendAsync(Web3, reverter, new IncrementCounterThenFailFunction { Fail = true }, gasLimit: 100_000, Ct);

        var reverted = (await act.Should().ThrowAsync<TransactionRevertedException>(
            "the receipt says status 0: returning it as if it succeeded is how a failed payment gets marked as paid")).Which;
        reverted.Receipt.Status.Value.Should().Be(BigInteger.Zero);
        reverted.Reason.Should().Be(new ErrorMessage("Reverter: asked to fail"), "replayed on the previous block's state, the call explains itself");
        (await NonceAsync()).Should().Be(nonce + 1, "a reverted transaction is still mined: its nonce and its gas are spent");
        (await Web3.Eth.GetContractHandler(reverter).QueryAsync<CounterFunction, BigInteger>(new CounterFunction())).Should().Be(BigInteger.Zero,
            "and its state changes (counter += 1) are undone");
    }

    [Fact]
    public async Task A_transaction_that_succeeds_returns_its_receipt()
    {
        var reverter = await DeployReverterAsync();

        var receipt = await Reverts.SendAsync(Web3, reverter, new IncrementCounterThenFailFunction { Fail = false }, gasLimit: 100_000, Ct);

        receipt.Status.Value.Should().Be(BigInteger.One);
        receipt.GasUsed.Value.Should().BeLessThanOrEqualTo(100_000, "the fixed gas limit was used as given, not replaced by an estimate");
        (await Web3.Eth.GetContractHandler(reverter).QueryAsync<CounterFunction, BigInteger>(new CounterFunction())).Should().Be(BigInteger.One);
    }

    // ---- Offline: exceptions built by hand, as the library builds them. ----

    [Fact]
    public void Decode_refuses_null_by_name()
    {
        var act = () => Reverts.Decode(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("exception");
    }

    [Fact]
    public void A_node_error_without_data_is_a_bare_revert_only_when_it_says_it_reverted()
    {
        // Some nodes answer a bare revert() with {"code": 3, "message": "execution reverted"} and no data at all.
        var bare = new RpcResponseException(new RpcError(3, "execution reverted"));
        var funds = new RpcResponseException(new RpcError(-32000, "insufficient funds for gas * price + value"));

        Reverts.Decode(bare).Should().Be(new UnknownRevert("0x"), "a revert without data is a bare revert(): empty data");
        FluentActions.Invoking(() => Reverts.Decode(funds)).Should().Throw<ArgumentException>(
            "an error without revert data that is not a revert (the sender cannot pay) is not the contract's decision");
    }

    [Theory]
    [InlineData("0xDEADBEEF", "0xdeadbeef")]
    [InlineData("0XdeadBEEF", "0xdeadbeef")]
    [InlineData("deadbeef", "0xdeadbeef")]
    [InlineData("", "0x")]
    public void Unknown_revert_data_is_0x_and_lowercase_hex_whatever_spelling_the_library_hands_over(string data, string expected)
    {
        var reason = Reverts.Decode(new SmartContractCustomErrorRevertException(data));

        reason.Should().Be(new UnknownRevert(expected), "one spelling of the same bytes, so that callers can compare and log them");
    }

    [Fact]
    public async Task Null_arguments_are_refused_by_name_and_a_cancelled_question_is_not_asked()
    {
        var reverter = await DeployReverterAsync();
        var web3 = Web3;

        await FluentActions.Awaiting(() => Reverts.WhyWouldItRevertAsync(null!, reverter, new RequirePositiveFunction { Value = 0 }, Ct))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("web3");
        await FluentActions.Awaiting(() => Reverts.SendAsync(null!, reverter, new IncrementCounterThenFailFunction { Fail = false }, 100_000, Ct))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("web3");
        await FluentActions.Awaiting(() => Reverts.SendAsync<IncrementCounterThenFailFunction>(web3, reverter, null!, 100_000, Ct))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("call");
        await FluentActions.Awaiting(() => Reverts.WhyWouldItRevertAsync(web3, reverter, new RequirePositiveFunction { Value = 7 }, new CancellationToken(canceled: true)))
            .Should().ThrowAsync<OperationCanceledException>("the caller gave up before the question was asked");
    }

    [Fact]
    public async Task No_method_resumes_on_the_caller_s_synchronization_context()
    {
        var reverter = await DeployReverterAsync();
        var web3 = Web3;
        var context = new CallerContext();

        var why = await context.Run(() => Reverts.WhyWouldItRevertAsync(web3, reverter, new RequirePositiveFunction { Value = 0 }, Ct));
        var receipt = await context.Run(() => Reverts.SendAsync(web3, reverter, new IncrementCounterThenFailFunction { Fail = false }, 100_000, Ct));

        why.Should().Be(new ErrorMessage("Reverter: value must be positive"));
        receipt.Status.Value.Should().Be(BigInteger.One);
        context.Posts.Should().Be(0,
            "this is library code: after each request it must not come back to the caller's context (a UI thread), where the hop queues behind the UI and a caller that blocks on the task deadlocks");
    }
}

/// <summary>KoansToken's transfer, for the test that meets a custom error this kata does not know.</summary>
[Nethereum.ABI.FunctionEncoding.Attributes.Function("transfer", "bool")]
public class TokenTransferFunction : Nethereum.Contracts.FunctionMessage
{
    [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("address", "to", 1)]
    public string To { get; set; } = "";

    [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("uint256", "value", 2)]
    public BigInteger Value { get; set; }
}
