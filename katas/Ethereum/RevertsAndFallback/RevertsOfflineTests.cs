using System.Numerics;
using System.Text.Json.Nodes;
using Koans.Ethereum.JsonRpc;
using Koans.Testing;

namespace Koans.Ethereum.RevertsAndFallback;

/// <summary>
/// No chain needed: revert data from the Solidity docs, the edges of Decode, Dispatch and PanicName, missing arguments,
/// and the JSON-RPC error shapes a real node sends only sometimes, played by a scripted node on 127.0.0.1.
/// </summary>
public sealed class RevertsOfflineTests : IDisposable
{
    // Solidity docs, "revert" (https://docs.soliditylang.org/en/v0.8.30/control-structures.html#revert):
    // revert("Not enough Ether provided.") sets this revert data (selector, offset, length, string data).
    private const string NotEnoughEtherHex =
        "08c379a0" +
        "0000000000000000000000000000000000000000000000000000000000000020" +
        "000000000000000000000000000000000000000000000000000000000000001a" +
        "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000";

    // Solidity docs, "Panic via assert and Error via require": selector 0x4e487b71, then the code as one uint256 word
    // (0x11: arithmetic underflow or overflow).
    private const string OverflowPanicHex = "4e487b71" + "0000000000000000000000000000000000000000000000000000000000000011";

    // `error Unauthorized();` from the Solidity docs' VendingMachine example. Its selector, with the js-sha3 package solc ships:
    // cd infra/chain && node -e "console.log(require('js-sha3').keccak256('Unauthorized()'))"  → 82b42900…
    private const string Unauthorized = "Unauthorized()";
    private static readonly byte[] UnauthorizedSelector = [0x82, 0xb4, 0x29, 0x00];

    private const string Contract = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private const string Sender = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    // Three made-up selectors: Dispatch only compares the first four bytes of the calldata with them.
    private static readonly string[] ThreeFunctions = ["0x11111111", "0x22222222", "0x33333333"];

    private static readonly string[] NoErrors = [];
    private readonly HttpClient http = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    // ---- Decode ----

    [Fact]
    public void Decode_reads_the_Error_string_example_of_the_Solidity_docs()
    {
        var reason = Reverts.Decode(Convert.FromHexString(NotEnoughEtherHex), NoErrors);

        reason.Should().Be(new ErrorRevert("Not enough Ether provided."),
            "the Solidity docs print exactly these bytes for revert(\"Not enough Ether provided.\"): selector, offset 0x20, length 0x1a, the UTF-8 text");
    }

    [Fact]
    public void A_custom_error_without_parameters_is_its_selector_alone()
    {
        var known = Reverts.Decode(UnauthorizedSelector, [Unauthorized]);
        var unknown = Reverts.Decode(UnauthorizedSelector, NoErrors);

        var custom = known.Should().BeOfType<CustomErrorRevert>(
            "`revert Unauthorized();` returns just its 4-byte selector: four bytes are a whole selector, not corrupt data").Subject;
        custom.Signature.Should().Be(Unauthorized);
        custom.Arguments.Should().BeEmpty("Unauthorized() has no parameters");
        unknown.Should().BeOfType<UnknownRevert>("an unknown 4-byte selector is still an answer")
            .Which.Selector.Should().Be("0x82b42900");
    }

    [Fact]
    public void A_Panic_with_more_than_one_word_is_rejected()
    {
        var twoWords = Convert.FromHexString(OverflowPanicHex + OverflowPanicHex[8..]);

        var act = () => Reverts.Decode(twoWords, NoErrors);

        Reverts.Decode(Convert.FromHexString(OverflowPanicHex), NoErrors).Should().Be(new PanicRevert(0x11, Reverts.PanicName(0x11)));
        act.Should().Throw<FormatException>(
            "the compiler writes Panic(uint256) as exactly one word; a decoder that reads the first word and ignores the rest would report a panic from data no compiler produced");
    }

    [Fact]
    public void Decode_rejects_a_null_list_of_custom_errors_by_name()
    {
        var act = () => Reverts.Decode([], null!);

        act.Should().Throw<ArgumentNullException>("check the arguments before looking at the data, even when empty data needs no list")
            .WithParameterName("customErrors");
    }

    // ---- PanicName ----

    [Fact]
    public void PanicName_names_any_code_outside_the_table_as_unknown_however_large()
    {
        var maxUint256 = (BigInteger.One << 256) - 1;

        Reverts.PanicName(BigInteger.Zero).Should().ContainEquivalentOf("generic", "0x00 is the generic compiler-inserted panic");
        Reverts.PanicName(0xff).Should().ContainEquivalentOf("unknown", "0xff is in no compiler's table");
        Reverts.PanicName(0x100).Should().ContainEquivalentOf("unknown", "0x100 is in no compiler's table; it is not 0x00 either");
        Reverts.PanicName(0x100 + 0x01).Should().ContainEquivalentOf("unknown", "0x101 is not 0x01 (assert): the whole number counts, not its low byte");
        Reverts.PanicName(maxUint256).Should().ContainEquivalentOf("unknown",
            "any contract can revert with Panic(2^256 - 1) by hand: name it unknown, never overflow while converting it to an int");
    }

    // ---- Dispatch ----

    [Fact]
    public void Dispatch_runs_the_one_function_whose_selector_matches_among_several()
    {
        byte[] second = [0x22, 0x22, 0x22, 0x22, 0x01];

        Reverts.Dispatch(second, ThreeFunctions, hasReceive: false, hasFallback: false).Should().Be(EntryPoint.Function,
            "0x22222222 is one of the contract's selectors: one match is enough, the others are other functions");
    }

    [Fact]
    public void Dispatch_reverts_calldata_that_matches_nothing_when_there_is_no_fallback()
    {
        Reverts.Dispatch([0xde, 0xad, 0xbe, 0xef], ThreeFunctions, hasReceive: true, hasFallback: false).Should().Be(EntryPoint.Revert,
            "no function matches and there is no fallback: the call reverts (receive never sees non-empty calldata)");
        Reverts.Dispatch([0x11, 0x11], ThreeFunctions, hasReceive: true, hasFallback: false).Should().Be(EntryPoint.Revert,
            "two bytes are no selector, not even the prefix of one that exists");
    }

    [Fact]
    public void Dispatch_rejects_a_null_list_of_selectors_by_name()
    {
        var act = () => Reverts.Dispatch([], null!, hasReceive: true, hasFallback: true);

        act.Should().Throw<ArgumentNullException>("check the arguments first, even when empty calldata needs no selector").WithParameterName("functionSelectors");
    }

    // ---- The call object and missing arguments ----

    [Fact]
    public async Task CallAsync_sends_from_only_when_it_is_given()
    {
        var sent = new List<JsonNode>();
        await using var node = await ScriptedJsonRpcNode.StartAsync(request =>
        {
            sent.Add(request);
            return ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x" """);
        }, Token);

        await Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, from: Sender, cancellationToken: Token);
        await Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, cancellationToken: Token);

        sent.Should().HaveCount(2);
        sent[0]["method"]!.GetValue<string>().Should().Be("eth_call");
        ((string?)sent[0]["params"]![0]!["from"]).Should().Be(Sender,
            "msg.sender is whoever `from` says: a call made on behalf of an owner that drops `from` runs as address zero, and onlyOwner reverts");
        sent[1]["params"]![0]!.AsObject().Select(member => member.Key).Should().BeEquivalentTo(["to", "data"],
            "an optional member is left out, not sent as null: \"from\": null is a value each node may read differently");
        sent[1]["params"]![0]!["data"]!.GetValue<string>().Should().Be("0x01020304");
    }

    [Fact]
    public async Task CallAsync_rejects_missing_arguments_by_name()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x" """), Token);
        var rpc = Client(node);

        await ((Func<Task>)(() => Reverts.CallAsync(null!, Contract, [], NoErrors, cancellationToken: Token)))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("rpc");
        await ((Func<Task>)(() => Reverts.CallAsync(rpc, null!, [], NoErrors, cancellationToken: Token)))
            .Should().ThrowAsync<ArgumentNullException>("a call without `to` creates a contract; that is never what was meant here").WithParameterName("contract");
        await ((Func<Task>)(() => Reverts.CallAsync(rpc, Contract, null!, NoErrors, cancellationToken: Token)))
            .Should().ThrowAsync<ArgumentNullException>().WithParameterName("calldata");
        await ((Func<Task>)(() => Reverts.CallAsync(rpc, Contract, [], null!, cancellationToken: Token)))
            .Should().ThrowAsync<ArgumentNullException>("the list is checked before the call, not only when a revert needs it").WithParameterName("customErrors");
    }

    [Fact]
    public async Task EstimateGasAsync_rejects_a_missing_sender_by_name()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x5208" """), Token);

        var act = () => Reverts.EstimateGasAsync(Client(node), null!, Contract, [], NoErrors, Token);

        await act.Should().ThrowAsync<ArgumentNullException>("a gas estimate is for a transaction, and a transaction has a sender")
            .WithParameterName("from");
    }

    // ---- The error shapes of other nodes ----

    [Fact]
    public async Task Revert_data_nested_inside_the_error_data_is_decoded()
    {
        // Hardhat's shape before https://github.com/NomicFoundation/hardhat/pull/8310: data is an object holding the hex.
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"],
            $$""" "error": { "code": 3, "message": "execution reverted", "data": { "message": "reverted", "txHash": null, "data": "0x{{NotEnoughEtherHex}}" } } """), Token);

        var reason = await Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, cancellationToken: Token);

        reason.Should().Be(new ErrorRevert("Not enough Ether provided."),
            "Hardhat nested the revert data as error.data.data; reading only a string data would call this a bare revert and lose the reason");
    }

    [Fact]
    public async Task Revert_data_under_another_error_code_is_still_decoded()
    {
        // Code -32000 with the revert data, as older geth-compatible nodes sent it
        // (https://github.com/godwokenrises/godwoken-web3/issues/423).
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"],
            $$""" "error": { "code": -32000, "message": "execution reverted: Not enough Ether provided.", "data": "0x{{NotEnoughEtherHex}}" } """), Token);

        var reason = await Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, cancellationToken: Token);

        reason.Should().Be(new ErrorRevert("Not enough Ether provided."), "revert data is revert data whatever code came with it");
    }

    [Fact]
    public async Task Code_3_without_data_is_a_bare_revert()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "error": { "code": 3, "message": "execution reverted" } """), Token);

        var reason = await Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, cancellationToken: Token);

        reason.Should().BeOfType<BareRevert>("code 3 means \"execution reverted\"; a node may leave out the empty data of a bare revert()");
    }

    [Theory]
    [InlineData("""{ "code": -32000, "message": "header not found" }""")]
    [InlineData("""{ "code": -32602, "message": "invalid argument 0", "data": "hex string without 0x prefix" }""")]
    [InlineData("""{ "code": -32603, "message": "Internal error", "data": { "message": "Internal error" } }""")]
    public async Task An_error_that_is_not_a_revert_propagates(string error)
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], $$""" "error": {{error}} """), Token);

        var act = () => Reverts.CallAsync(Client(node), Contract, [0x01, 0x02, 0x03, 0x04], NoErrors, cancellationToken: Token);

        await act.Should().ThrowAsync<JsonRpcException>(
            "no revert data and a code other than 3: the node failed, the contract did not revert; reporting it as a revert hides an outage");
    }

    // ---- The client under test, pointed at a scripted node (Koans.Testing.ScriptedJsonRpcNode) ----

    private EthRpcClient Client(LoopbackHttpServer node) => new(http, node.BaseAddress);
}
