using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Koans.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Koans.Ethereum.JsonRpc;

/// <summary>
/// The protocol, byte for byte, against a scripted node on 127.0.0.1 (no chain needed): what the client sends, and
/// what it makes of answers a real node sends only sometimes (revert data, answers out of order, a batch refused as a
/// whole, a missing answer). Examples follow the JSON-RPC 2.0 specification (https://www.jsonrpc.org/specification).
/// </summary>
public sealed class EthRpcClientProtocolTests : IDisposable
{
    private readonly HttpClient http = new();

    // Any URL with nothing listening: these calls must fail before anything is sent to it.
    private EthRpcClient Offline => new(http, new Uri("http://127.0.0.1:9/"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CallAsync_posts_a_JSON_RPC_2_0_request_and_returns_the_result()
    {
        JsonNode? sent = null;
        await using var node = await ScriptedJsonRpcNode.StartAsync(request =>
        {
            sent = request;
            return ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x1b1ae4d6e2ef500000" """);
        }, Token);

        var result = await Client(node).CallAsync("eth_getBalance", ["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "latest"], Token);

        result.GetString().Should().Be("0x1b1ae4d6e2ef500000", "the result member is returned as it came");
        sent!["jsonrpc"]!.GetValue<string>().Should().Be("2.0", "JSON-RPC 2.0 section 4: jsonrpc MUST be exactly \"2.0\"");
        sent["method"]!.GetValue<string>().Should().Be("eth_getBalance");
        sent["params"]!.ToJsonString().Should().Be("""["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","latest"]""",
            "params are positional: a JSON array in the order given");
        sent["id"]!.GetValueKind().Should().Be(JsonValueKind.Number, "the id lets the client match the answer to the request");
    }

    [Fact]
    public async Task CallAsync_keeps_the_code_message_and_data_of_an_error()
    {
        // The shape geth and Anvil use for a reverted eth_call: code 3, the revert data in "data".
        // 0x08c379a0 is Error(string); this data is Error("no").
        const string revertData = "0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000026e6f000000000000000000000000000000000000000000000000000000000000";
        await using var node = await ScriptedJsonRpcNode.StartAsync(request =>
            ScriptedJsonRpcNode.Answer(request["id"], $$""" "error": { "code": 3, "message": "execution reverted: no", "data": "{{revertData}}" } """), Token);

        var act = () => Client(node).CallAsync("eth_call", [new { to = "0x5fbdb2315678afecb367f032d93f642f64180aa3" }, "latest"], Token);

        var error = (await act.Should().ThrowAsync<JsonRpcException>("an error member is an error, although the status is 200 OK")).Which;
        error.Code.Should().Be(3, "the code tells a revert (3) from a node failure (-32000 and below)");
        error.RpcMessage.Should().Be("execution reverted: no");
        error.ErrorData!.Value.GetString().Should().Be(revertData, "the revert reason lives in data; dropping it leaves the caller guessing");
    }

    [Fact]
    public async Task CallAsync_treats_an_error_without_a_numeric_code_or_a_message_as_an_internal_error()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "error": { "code": "oops" } """), Token);

        var act = () => Client(node).CallAsync("eth_chainId", [], Token);

        var error = (await act.Should().ThrowAsync<JsonRpcException>("an error member is an error, however malformed")).Which;
        error.Code.Should().Be(-32603, "a node that breaks the error format is reported as -32603, internal error");
        error.RpcMessage.Should().BeEmpty("the node sent no message");
    }

    [Fact]
    public async Task CallAsync_returns_a_null_result_as_a_result()
    {
        // eth_getTransactionReceipt of a pending transaction answers "result": null: not an error.
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "result": null """), Token);

        var result = await Client(node).CallAsync("eth_getTransactionReceipt", ["0x" + new string('a', 64)], Token);

        result.ValueKind.Should().Be(JsonValueKind.Null, "a present result member that is null is a result");
    }

    [Fact]
    public async Task CallAsync_rejects_an_answer_with_neither_result_nor_error()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "note": "nothing" """), Token);

        var act = () => Client(node).CallAsync("eth_chainId", [], Token);

        (await act.Should().ThrowAsync<JsonRpcException>(
            "JSON-RPC 2.0 section 5: an answer has result or error; with neither there is nothing to return")).Which
            .Code.Should().Be(-32603, "the documented code for an answer that breaks the format");
    }

    [Fact]
    public async Task CallAsync_rejects_a_missing_method_before_sending_anything()
    {
        var act = () => Offline.CallAsync("", [], Token);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("method", "a request without a method name is invalid");
    }

    [Fact]
    public async Task BatchAsync_matches_answers_by_id_when_the_node_answers_in_another_order()
    {
        JsonNode? sent = null;
        await using var node = await ScriptedJsonRpcNode.StartAsync(batch =>
        {
            sent = batch;
            // JSON-RPC 2.0 section 6: the answers "MAY be returned in any order": this node reverses them.
            var answers = batch.AsArray().Reverse().Select(request =>
                ScriptedJsonRpcNode.Answer(request!["id"], $$""" "result": "{{request["method"]!.GetValue<string>()}}" """));
            return "[" + string.Join(",", answers) + "]";
        }, Token);

        var responses = await Client(node).BatchAsync(
            [new JsonRpcRequest("eth_chainId"), new JsonRpcRequest("eth_blockNumber"), new JsonRpcRequest("eth_gasPrice")], Token);

        responses.Select(r => r.Result!.Value.GetString()).Should().Equal(["eth_chainId", "eth_blockNumber", "eth_gasPrice"],
            "answers are matched to requests by id and returned in request order, never by position");
        sent!.AsArray().Select(r => r!["id"]!.ToJsonString()).Should().OnlyHaveUniqueItems("each request of a batch needs its own id");
        sent.AsArray().Select(r => r!["params"]!.ToJsonString()).Should().AllBe("[]", "params is an array, empty when there are none");
    }

    [Fact]
    public async Task BatchAsync_reports_a_request_the_node_did_not_answer_in_its_own_entry()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(batch =>
            "[" + ScriptedJsonRpcNode.Answer(batch.AsArray()[0]!["id"], """ "result": "0x7a69" """) + "]", Token);

        var responses = await Client(node).BatchAsync([new JsonRpcRequest("eth_chainId"), new JsonRpcRequest("eth_blockNumber")], Token);

        responses.Should().HaveCount(2, "one response per request, answered or not");
        responses[0].Result!.Value.GetString().Should().Be("0x7a69");
        responses[1].Error.Should().NotBeNull("the node never answered request 2: that is an error for that entry, not a missing entry");
        responses[1].Error!.Code.Should().Be(-32603);
    }

    [Fact]
    public async Task BatchAsync_throws_the_single_error_a_node_answers_for_a_refused_batch()
    {
        // Public nodes cap batch sizes and answer a refused batch with one error object, not an array.
        await using var node = await ScriptedJsonRpcNode.StartAsync(_ =>
            """{ "jsonrpc": "2.0", "id": null, "error": { "code": -32005, "message": "batch limit exceeded" } }""", Token);

        var act = () => Client(node).BatchAsync([new JsonRpcRequest("eth_chainId")], Token);

        (await act.Should().ThrowAsync<JsonRpcException>("the whole batch was refused: there is no entry to attach the error to")).Which
            .Code.Should().Be(-32005, "the node's own error, not a generic one");
    }

    [Fact]
    public async Task BatchAsync_rejects_an_answer_that_is_neither_an_array_nor_an_error()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(_ => """{ "jsonrpc": "2.0", "id": 1, "result": "0x7a69" }""", Token);

        var act = () => Client(node).BatchAsync([new JsonRpcRequest("eth_chainId")], Token);

        (await act.Should().ThrowAsync<JsonRpcException>("a batch is answered with an array; a single result cannot be matched to the requests")).Which
            .Code.Should().Be(-32600);
    }

    [Fact]
    public async Task BatchAsync_rejects_a_null_batch_by_name()
    {
        var act = () => Offline.BatchAsync(null!, Token);

        await act.Should().ThrowAsync<ArgumentNullException>().WithParameterName("requests");
    }

    [Fact]
    public async Task CallAsync_does_not_take_an_error_member_that_is_null_for_an_error()
    {
        // Some servers write "error": null next to the result; JSON-RPC 2.0 forbids it, clients tolerate it.
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x7a69", "error": null """), Token);

        var result = await Client(node).CallAsync("eth_chainId", [], Token);

        result.GetString().Should().Be("0x7a69", "an error member that is null carries no error object");
    }

    [Fact]
    public async Task BatchAsync_ignores_answers_whose_id_is_not_one_of_its_own()
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(batch =>
            "[" + ScriptedJsonRpcNode.Answer(JsonValue.Create("not-a-number"), """ "result": "0x0" """) + "," +
            ScriptedJsonRpcNode.Answer(null, """ "error": { "code": -32700, "message": "Parse error" } """) + "," +
            ScriptedJsonRpcNode.Answer(batch.AsArray()[0]!["id"], """ "result": "0x7a69" """) + "]", Token);

        var responses = await Client(node).BatchAsync([new JsonRpcRequest("eth_chainId")], Token);

        responses.Should().ContainSingle().Which.Result!.Value.GetString().Should().Be("0x7a69",
            "answers with an id the client never sent (a string, null) belong to no request and must not break the others");
    }

    [Fact]
    public async Task BatchAsync_throws_HttpRequestException_for_an_HTTP_error_status()
    {
        await using var node = await LoopbackHttpServer.StartAsync(
            app => app.MapPost("/", () => Results.StatusCode(StatusCodes.Status503ServiceUnavailable)), Token);

        var act = () => Client(node).BatchAsync([new JsonRpcRequest("eth_chainId")], Token);

        await act.Should().ThrowAsync<HttpRequestException>("a 503 from a proxy in front of the node carries no JSON-RPC answer");
    }

    public static TheoryData<string> AsyncMethods() =>
        ["CallAsync", "ChainIdAsync", "BlockNumberAsync", "GetBalanceAsync", "GetTransactionCountAsync", "BatchAsync"];

    [Theory]
    [MemberData(nameof(AsyncMethods))]
    public async Task The_client_never_resumes_on_the_callers_SynchronizationContext(string method)
    {
        await using var node = await ScriptedJsonRpcNode.StartAsync(request => request is JsonArray batch
            ? "[" + string.Join(",", batch.Select(r => ScriptedJsonRpcNode.Answer(r!["id"], """ "result": "0x1" """))) + "]"
            : ScriptedJsonRpcNode.Answer(request["id"], """ "result": "0x1" """), Token);
        var client = Client(node);
        var callersContext = new CountingSynchronizationContext();
        const string address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

        // Start the call on a thread whose SynchronizationContext is callersContext, as a UI thread or a classic
        // ASP.NET request would be, then leave that context before awaiting the result.
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(callersContext);
        Task call;
        try
        {
            call = method switch
            {
                "CallAsync" => client.CallAsync("eth_chainId", [], Token),
                "ChainIdAsync" => client.ChainIdAsync(Token),
                "BlockNumberAsync" => client.BlockNumberAsync(Token),
                "GetBalanceAsync" => client.GetBalanceAsync(address, cancellationToken: Token),
                "GetTransactionCountAsync" => client.GetTransactionCountAsync(address, cancellationToken: Token),
                _ => client.BatchAsync([new JsonRpcRequest("eth_chainId"), new JsonRpcRequest("eth_blockNumber")], Token),
            };
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        await call;

        callersContext.Posts.Should().Be(0,
            "{0} is library code: a continuation queued to the caller's context deadlocks a caller that blocks on the task (.Result on a UI thread)",
            method);
    }

    // Runs what is posted to it on the thread pool, and counts it.
    private sealed class CountingSynchronizationContext : SynchronizationContext
    {
        private int posts;

        public int Posts => Volatile.Read(ref posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }

    public static TheoryData<string, string> MalformedAddresses() => new()
    {
        { "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226", "39 hex digits" },
        { "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb922660", "41 hex digits" },
        { "0Xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "an uppercase 0X" },
        { "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb9226g", "a g among the digits" },
        { "f39Fd6e51aad88F6F4ce6aB8827279cffFb9226600", "42 characters without 0x" },
    };

    [Theory]
    [MemberData(nameof(MalformedAddresses))]
    public async Task GetBalanceAsync_and_GetTransactionCountAsync_reject_a_malformed_address_before_sending_anything(string address, string what)
    {
        var balance = () => Offline.GetBalanceAsync(address, cancellationToken: Token);
        var nonce = () => Offline.GetTransactionCountAsync(address, cancellationToken: Token);

        await balance.Should().ThrowAsync<ArgumentException>("{0} is not 0x and 40 hex digits", what);
        await nonce.Should().ThrowAsync<ArgumentException>("{0} is not 0x and 40 hex digits", what);
    }

    [Fact]
    public async Task GetBalanceAsync_rejects_a_null_address_before_sending_anything()
    {
        var act = () => Offline.GetBalanceAsync(null!, cancellationToken: Token);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("address");
    }

    [Fact]
    public void ParseQuantity_rejects_null_by_name()
    {
        var act = () => EthRpcClient.ParseQuantity(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("quantity");
    }

    [Fact]
    public void ParseQuantity_rejects_a_trailing_NUL_character()
    {
        var act = () => EthRpcClient.ParseQuantity("0x1\0");

        act.Should().Throw<FormatException>(
            "a NUL is not a hex digit; BigInteger.Parse and TryParse silently skip trailing NUL characters, so check the digits yourself");
    }

    [Fact]
    public void ParseQuantity_reads_a_quantity_above_ulong() =>
        EthRpcClient.ParseQuantity("0x21e19e0c9bab2400000").Should().Be(BigInteger.Parse("10000000000000000000000"),
            "10000 ETH in wei is 10^22, beyond ulong: quantities are arbitrary precision");

    // ---- The client under test, pointed at a scripted node (Koans.Testing.ScriptedJsonRpcNode) ----

    private EthRpcClient Client(LoopbackHttpServer node) => new(http, node.BaseAddress);
}
