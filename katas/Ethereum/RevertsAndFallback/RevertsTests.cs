using System.Numerics;
using Koans.Ethereum.Abi;
using Koans.Ethereum.JsonRpc;
using Koans.Ethereum.KeysToAddress;
using Koans.Ethereum.Transfer;
using Koans.Testing.Chain;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.RevertsAndFallback;

public class RevertsTests(AnvilFixture chain) : ChainTest(chain), IDisposable
{
    // The contracts: infra/chain/contracts/Reverter.sol and ReceiveFallback.sol (solc 0.8.30).
    private static readonly ContractArtifact Reverter = ContractArtifact.Load("Reverter");
    private static readonly ContractArtifact ReceiveFallback = ContractArtifact.Load("ReceiveFallback");

    // Reverter.sol: error InsufficientBalance(uint256 available, uint256 required).
    private const string InsufficientBalance = "InsufficientBalance(uint256,uint256)";

    // Selectors and topics, generated with the js-sha3 package solc ships (first 4 bytes for selectors):
    // cd infra/chain && node -e "console.log(require('js-sha3').keccak256('InsufficientBalance(uint256,uint256)'))"
    private const string InsufficientBalanceSelector = "0xcf479181";
    private const string ReceivedTopic = "0x88a5966d370b9919b20f3e2c13ff65706f196a4e32cc2c12bf57088f88525874";        // Received(address,uint256)
    private const string FallbackCalledTopic = "0xaca09dd456ca888dccf8cc966e382e6e3042bb7e4d2d7815015f844edeafce42";  // FallbackCalled(address,uint256,bytes)

    // ReceiveFallback's public functions: the getters solc generates for its three public state variables.
    private static readonly string[] ReceiveFallbackFunctions = ["receiveCount()", "fallbackCount()", "lastFallbackData()"];

    private static readonly string[] KnownErrors = [InsufficientBalance];
    private readonly HttpClient http = new();

    private EthRpcClient Rpc => new(http, Chain.RpcUrl);

    private TransactionSender Sender => new(Rpc);

    private string Key => Chain.PrivateKeys[0];

    private string Me => EthKeys.AddressFromPrivateKey(Key);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- Setup helpers (provided) ----

    private async Task<string> DeployAsync(ContractArtifact artifact)
    {
        var receipt = await Sender.WaitForReceiptAsync(await Sender.SendAsync(Key, to: null, BigInteger.Zero, artifact.Bytecode, Ct), Ct);
        receipt.Succeeded.Should().BeTrue($"setup: deploying {artifact.Name} must succeed");
        return receipt.ContractAddress!;
    }

    private async Task<TransactionReceipt> SendAsync(string contract, BigInteger value, byte[] data)
    {
        var receipt = await Sender.WaitForReceiptAsync(await Sender.SendAsync(Key, contract, value, data, Ct), Ct);
        receipt.Succeeded.Should().BeTrue("setup: the transaction must succeed");
        return receipt;
    }

    private async Task<BigInteger> ReadUintAsync(string contract, string getter)
    {
        var hex = (await Rpc.CallAsync("eth_call", [new { to = contract, data = "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall(getter)) }, "latest"], Ct)).GetString()!;
        return (BigInteger)AbiCodec.Decode(["uint256"], Convert.FromHexString(hex.AsSpan(2)))[0];
    }

    /// <summary>The revert data the node returned for a call, read straight from the JSON-RPC error (test plumbing).</summary>
    private async Task<byte[]> RawRevertDataAsync(string contract, byte[] calldata)
    {
        var act = () => Rpc.CallAsync("eth_call", [new { to = contract, data = "0x" + Convert.ToHexStringLower(calldata) }, "latest"], Ct);
        var error = (await act.Should().ThrowAsync<JsonRpcException>("setup: this call reverts")).Which;
        return Convert.FromHexString(error.ErrorData!.Value.GetString()!.AsSpan(2));
    }

    private static string Selector(string signature) => "0x" + Convert.ToHexStringLower(AbiCodec.EncodeCall(signature).AsSpan(0, 4));

    // ---- Reverts ----

    [Fact]
    public async Task Require_with_a_message_reverts_with_Error_string()
    {
        var reverter = await DeployAsync(Reverter);

        var reason = await Reverts.CallAsync(Rpc, reverter, AbiCodec.EncodeCall("requirePositive(uint256)", BigInteger.Zero), KnownErrors, cancellationToken: Ct);

        reason.Should().Be(new ErrorRevert("Reverter: value must be positive"),
            "require(value > 0, \"...\") reverts with Error(string): selector 0x08c379a0 then the ABI-encoded message (Solidity docs, \"Panic via assert and Error via require\")");
    }

    // Panic codes: Solidity docs, "Panic via assert and Error via require"
    // (https://docs.soliditylang.org/en/v0.8.30/control-structures.html#panic-via-assert-and-error-via-require).
    [Theory]
    [InlineData("assertEqual(uint256,uint256)", 1, 2, 0x01, "assert")]
    [InlineData("divide(uint256,uint256)", 1, 0, 0x12, "division")]
    [InlineData("increment(uint256)", -1, null, 0x11, "overflow")]
    public async Task Compiler_checks_revert_with_a_named_Panic_code(string function, int first, int? second, int code, string nameContains)
    {
        var reverter = await DeployAsync(Reverter);
        // -1 stands for type(uint256).max, so that + 1 overflows.
        object[] args = second is null
            ? [first < 0 ? (BigInteger.One << 256) - 1 : new BigInteger(first)]
            : [new BigInteger(first), new BigInteger(second.Value)];

        var reason = await Reverts.CallAsync(Rpc, reverter, AbiCodec.EncodeCall(function, args), KnownErrors, cancellationToken: Ct);

        var panic = reason.Should().BeOfType<PanicRevert>($"{function} fails a compiler-inserted check: Panic(uint256), selector 0x4e487b71").Subject;
        panic.Code.Should().Be(new BigInteger(code), "the Solidity docs list the panic codes: 0x01 assert, 0x11 overflow, 0x12 division by zero");
        panic.Name.Should().ContainEquivalentOf(nameContains, "a bare number helps nobody at 3 a.m.: name the panic");
    }

    [Fact]
    public async Task A_custom_error_is_decoded_from_its_signature_through_eth_estimateGas()
    {
        var reverter = await DeployAsync(Reverter);

        var reason = await Reverts.EstimateGasAsync(Rpc, Me, reverter, AbiCodec.EncodeCall("withdraw(uint256)", new BigInteger(5)), KnownErrors, Ct);

        var custom = reason.Should().BeOfType<CustomErrorRevert>(
            "withdraw(5) with counter 0 runs `revert InsufficientBalance(0, 5)`; the gas estimate executes the call and reports the same revert data").Subject;
        custom.Signature.Should().Be(InsufficientBalance);
        custom.Arguments.Should().Equal([BigInteger.Zero, new BigInteger(5)], "a custom error's arguments are ABI-encoded after its selector, like a call's");
    }

    [Fact]
    public async Task A_bare_revert_has_no_data_and_a_successful_call_has_no_reason()
    {
        var reverter = await DeployAsync(Reverter);

        var bare = await Reverts.CallAsync(Rpc, reverter, AbiCodec.EncodeCall("revertWithoutReason()"), KnownErrors, cancellationToken: Ct);
        var success = await Reverts.CallAsync(Rpc, reverter, AbiCodec.EncodeCall("requirePositive(uint256)", BigInteger.One), KnownErrors, cancellationToken: Ct);

        bare.Should().BeOfType<BareRevert>("revert() returns empty revert data: the node says \"execution reverted\" and nothing more");
        success.Should().BeNull("requirePositive(1) returns normally: no revert, no reason");
    }

    [Fact]
    public async Task A_transaction_that_would_revert_is_refused_by_the_estimate_and_changes_nothing()
    {
        var reverter = await DeployAsync(Reverter);

        var reason = await Reverts.EstimateGasAsync(Rpc, Me, reverter, AbiCodec.EncodeCall("incrementCounterThenFail(bool)", true), KnownErrors, Ct);

        reason.Should().Be(new ErrorRevert("Reverter: asked to fail"),
            "the estimate runs counter += 1 and then the require, which undoes everything and reports why");
        (await ReadUintAsync(reverter, "counter()")).Should().Be(BigInteger.Zero, "a revert rolls back every state change of the call");
    }

    [Fact]
    public async Task An_unknown_custom_error_is_reported_by_its_selector_not_crashed_on()
    {
        var reverter = await DeployAsync(Reverter);

        var reason = await Reverts.CallAsync(Rpc, reverter, AbiCodec.EncodeCall("withdraw(uint256)", new BigInteger(5)), [], cancellationToken: Ct);

        var unknown = reason.Should().BeOfType<UnknownRevert>("without the contract's error signatures the selector cannot be named, but it is still an answer").Subject;
        unknown.Selector.Should().Be(InsufficientBalanceSelector, "the first four bytes of keccak256(\"InsufficientBalance(uint256,uint256)\")");
        unknown.Data.Should().HaveCount(4 + 64, "the raw data is kept for whoever finds the ABI later");
    }

    [Fact]
    public async Task Revert_data_shorter_than_a_selector_is_rejected()
    {
        var data = (await RawRevertDataAsync(await DeployAsync(Reverter), AbiCodec.EncodeCall("requirePositive(uint256)", BigInteger.Zero)))[..3];

        var act = () => Reverts.Decode(data, KnownErrors);

        act.Should().Throw<FormatException>("three bytes are not a selector: this data is corrupt, and guessing would report a reason that never happened");
    }

    [Fact]
    public async Task An_Error_string_or_a_Panic_cut_short_is_rejected()
    {
        var reverter = await DeployAsync(Reverter);
        var error = await RawRevertDataAsync(reverter, AbiCodec.EncodeCall("requirePositive(uint256)", BigInteger.Zero));
        var panic = await RawRevertDataAsync(reverter, AbiCodec.EncodeCall("divide(uint256,uint256)", BigInteger.One, BigInteger.Zero));

        var truncatedError = () => Reverts.Decode(error[..^10], KnownErrors);
        var truncatedPanic = () => Reverts.Decode(panic[..20], KnownErrors);

        truncatedError.Should().Throw<FormatException>("the string's length word says 32 bytes, and fewer are there");
        truncatedPanic.Should().Throw<FormatException>("Panic(uint256) carries exactly one 32-byte word");
    }

    // ---- receive and fallback ----

    [Fact]
    public async Task A_plain_ether_transfer_runs_receive()
    {
        var contract = await DeployAsync(ReceiveFallback);

        var receipt = await SendAsync(contract, new BigInteger(1000), []);

        Reverts.Dispatch([], [.. ReceiveFallbackFunctions.Select(Selector)], hasReceive: true, hasFallback: true)
            .Should().Be(EntryPoint.Receive, "empty calldata goes to receive() when the contract has one (Solidity docs, \"Receive Ether Function\")");
        receipt.Logs.Should().ContainSingle().Which.Topics[0].Should().Be(ReceivedTopic, "the node ran receive(), which emits Received(sender, value)");
        (await ReadUintAsync(contract, "receiveCount()")).Should().Be(BigInteger.One);
        (await ReadUintAsync(contract, "fallbackCount()")).Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task Calldata_that_matches_no_function_runs_fallback()
    {
        var contract = await DeployAsync(ReceiveFallback);
        byte[] unknownCall = [0xde, 0xad, 0xbe, 0xef, 0x01];

        var receipt = await SendAsync(contract, BigInteger.Zero, unknownCall);

        Reverts.Dispatch(unknownCall, [.. ReceiveFallbackFunctions.Select(Selector)], hasReceive: true, hasFallback: true)
            .Should().Be(EntryPoint.Fallback, "0xdeadbeef is no function's selector, so fallback() runs (Solidity docs, \"Fallback Function\")");
        receipt.Logs.Should().ContainSingle().Which.Topics[0].Should().Be(FallbackCalledTopic, "the node ran fallback(), which emits FallbackCalled");
        (await ReadUintAsync(contract, "fallbackCount()")).Should().Be(BigInteger.One);
        (await ReadUintAsync(contract, "receiveCount()")).Should().Be(BigInteger.Zero, "receive only ever sees empty calldata");
    }

    [Fact]
    public void Dispatch_follows_the_Solidity_rules_when_receive_or_fallback_is_missing()
    {
        string[] functions = [Selector("receiveCount()")];

        Reverts.Dispatch(AbiCodec.EncodeCall("receiveCount()"), functions, true, true).Should().Be(EntryPoint.Function, "a known selector runs its function");
        Reverts.Dispatch([], functions, hasReceive: false, hasFallback: true).Should().Be(EntryPoint.Fallback,
            "without receive, a plain transfer reaches fallback (it must then be payable to accept the ether)");
        Reverts.Dispatch([0x01, 0x02], functions, hasReceive: true, hasFallback: true).Should().Be(EntryPoint.Fallback,
            "two bytes are not a selector; they are still not empty calldata, so not receive");
        Reverts.Dispatch([], functions, hasReceive: false, hasFallback: false).Should().Be(EntryPoint.Revert,
            "with neither, a plain transfer to a contract reverts: the ether is refused");
    }
}
