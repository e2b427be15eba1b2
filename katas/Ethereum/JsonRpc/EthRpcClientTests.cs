using System.Net;
using System.Numerics;
using Koans.Testing;
using Koans.Testing.Chain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.JsonRpc;

public class EthRpcClientTests(AnvilFixture chain) : ChainTest(chain), IDisposable
{
    private readonly HttpClient http = new();

    private EthRpcClient Client => new(http, Chain.RpcUrl);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ChainIdAsync_reads_the_hex_quantity_eth_chainId_returns()
    {
        var raw = (await Chain.RpcAsync("eth_chainId")).GetString()!;

        var chainId = await Client.ChainIdAsync(Token);

        chainId.Should().Be(Convert.ToUInt64(raw[2..], 16), $"eth_chainId answered {raw}, a hex quantity");
        if (Chain.SupportsCheats)
        {
            chainId.Should().Be(31337, "31337 (0x7a69) is Anvil's default chain id");
        }
    }

    [Fact]
    public async Task BlockNumberAsync_moves_by_one_when_a_block_is_mined()
    {
        Chain.SkipUnlessCheats();
        var before = await Client.BlockNumberAsync(Token);

        await Chain.RpcAsync("evm_mine");

        (await Client.BlockNumberAsync(Token)).Should().Be(before + 1, "evm_mine mines exactly one block");
    }

    [Fact]
    public async Task GetBalanceAsync_reads_ten_thousand_ether_in_wei_past_the_range_of_ulong()
    {
        Chain.SkipUnlessCheats();

        // Anvil funds each default account with 10000 ETH; account 9 is never spent by these tests.
        var balance = await Client.GetBalanceAsync(AnvilAccounts.Addresses[9], cancellationToken: Token);

        balance.Should().Be(BigInteger.Parse("10000000000000000000000"),
            "10000 ETH is 10^22 wei (0x21e19e0c9bab2400000), more than ulong.MaxValue (about 1.8 * 10^19)");
    }

    [Fact]
    public async Task GetBalanceAsync_of_a_fresh_address_is_zero()
    {
        var fresh = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

        (await Client.GetBalanceAsync(fresh, cancellationToken: Token)).Should().Be(BigInteger.Zero,
            "nobody ever sent ether to a random address; the node answers \"0x0\"");
    }

    [Fact]
    public async Task GetTransactionCountAsync_of_an_unused_account_is_zero()
    {
        var fresh = "0x" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

        (await Client.GetTransactionCountAsync(fresh, cancellationToken: Token)).Should().Be(0UL,
            "an account that never sent a transaction has nonce 0");
    }

    [Fact]
    public async Task An_unknown_method_is_a_JsonRpcException_with_code_minus_32601()
    {
        var act = () => Client.CallAsync("eth_noSuchMethod", [], Token);

        var error = (await act.Should().ThrowAsync<JsonRpcException>(
            "the node answers 200 OK with an error object; the client turns it into an exception")).Which;
        error.Code.Should().Be(-32601, "JSON-RPC 2.0 section 5.1 reserves -32601 for \"Method not found\"");
    }

    [Fact]
    public async Task Malformed_params_are_a_JsonRpcException_with_code_minus_32602()
    {
        var act = () => Client.CallAsync("eth_getBalance", ["0x1234", "latest"], Token);

        (await act.Should().ThrowAsync<JsonRpcException>("a 2-byte address is not an address")).Which
            .Code.Should().Be(-32602, "JSON-RPC 2.0 section 5.1 reserves -32602 for \"Invalid params\"");
    }

    [Fact]
    public async Task BatchAsync_answers_in_request_order_and_keeps_one_error_to_its_entry()
    {
        var responses = await Client.BatchAsync(
        [
            new JsonRpcRequest("eth_chainId"),
            new JsonRpcRequest("eth_noSuchMethod"),
            new JsonRpcRequest("eth_getBalance", AnvilAccounts.Addresses[9], "latest"),
        ], Token);

        responses.Should().HaveCount(3, "one answer per request");
        responses[0].Error.Should().BeNull();
        responses[0].Result!.Value.GetString().Should().Be((await Chain.RpcAsync("eth_chainId")).GetString(), "entry 0 asked for the chain id");
        responses[1].Error.Should().NotBeNull("entry 1 called a method that does not exist");
        responses[1].Error!.Code.Should().Be(-32601);
        responses[2].Error.Should().BeNull("an error in entry 1 does not fail entry 2");
        responses[2].Result!.Value.GetString().Should().StartWith("0x", "entry 2 is a balance, a hex quantity");
    }
}

/// <summary>What the client must do before, or without, a node: these run (and fail by name) even when no chain is up.</summary>
public class EthRpcClientOfflineTests : IDisposable
{
    private readonly HttpClient http = new();

    // Any URL: these calls must fail or answer before anything is sent to it.
    private EthRpcClient Client => new(http, new Uri("http://127.0.0.1:9/"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task GetBalanceAsync_rejects_a_malformed_address_before_sending_anything()
    {
        var act = () => Client.GetBalanceAsync("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266", cancellationToken: Token);

        await act.Should().ThrowAsync<ArgumentException>("an address is 0x and 40 hex digits; without the 0x it is malformed");
    }

    [Fact]
    public async Task BatchAsync_rejects_an_empty_batch()
    {
        var act = () => Client.BatchAsync([], Token);

        await act.Should().ThrowAsync<ArgumentException>("JSON-RPC 2.0 section 6: an empty array is an invalid request");
    }

    [Fact]
    public async Task An_HTTP_error_status_is_an_HttpRequestException_not_a_result()
    {
        await using var server = await LoopbackHttpServer.StartAsync(
            app => app.MapPost("/", () => Results.StatusCode((int)HttpStatusCode.ServiceUnavailable)), Token);
        var client = new EthRpcClient(http, server.BaseAddress);

        var act = () => client.ChainIdAsync(Token);

        await act.Should().ThrowAsync<HttpRequestException>("a 503 from a proxy in front of the node carries no JSON-RPC answer");
    }

    [Theory]
    [InlineData("0x0", 0)]
    [InlineData("0x1a", 26)]
    [InlineData("0x7a69", 31337)]
    [InlineData("0xff", 255)]
    public void ParseQuantity_reads_compact_hex(string quantity, long expected) =>
        EthRpcClient.ParseQuantity(quantity).Should().Be(new BigInteger(expected),
            "the Ethereum JSON-RPC spec encodes quantities as 0x-prefixed compact hex; 0xff is 255, not -1");

    [Theory]
    [InlineData("0x")]
    [InlineData("1a")]
    [InlineData("0x01")]
    [InlineData("0xzz")]
    public void ParseQuantity_rejects_what_is_not_a_quantity(string quantity)
    {
        var act = () => EthRpcClient.ParseQuantity(quantity);

        act.Should().Throw<FormatException>("a quantity has a 0x prefix, at least one hex digit and no leading zero");
    }
}
