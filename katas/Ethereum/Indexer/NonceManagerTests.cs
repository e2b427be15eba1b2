using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing.Chain;
using Nethereum.Signer;

namespace Koans.Ethereum.Indexer;

public class NonceManagerTests(AnvilFixture chain) : IndexerChainTest(chain)
{
    private const int Senders = 8;

    // A fresh account for each test, so its nonces start at 0; funded with Anvil's anvil_setBalance.
    private readonly string key = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private string Sender => new Nethereum.Web3.Accounts.Account(key, AnvilAccounts.ChainId).Address;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Chain.RpcAsync("anvil_setBalance", Sender, "0x56bc75e2d63100000");    // 100 ether
    }

    /// <summary>Signs a 1-wei legacy (EIP-155) transfer with the given nonce and sends it with eth_sendRawTransaction.</summary>
    private async Task<string> SendWithNonceAsync(BigInteger nonce)
    {
        var signed = new LegacyTransactionSigner().SignTransaction(
            key, new BigInteger(AnvilAccounts.ChainId), FreshAddress(), BigInteger.One, nonce, gasPrice: 10_000_000_000, gasLimit: 21_000);
        return await Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync("0x" + signed);
    }

    private async Task<ulong> MinedCountAsync() => Quantity(await Chain.RpcAsync("eth_getTransactionCount", Sender, "latest"));

    [Fact]
    public async Task Concurrent_senders_get_each_nonce_from_0_to_N_minus_1_exactly_once()
    {
        var manager = new NonceManager(Web3, Sender);
        var handedOut = new ConcurrentBag<BigInteger>();
        var allHaveANonce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Every sender holds its nonce until all of them have one, as slow signers (a KMS, a hardware wallet) do:
        // whatever the manager learns from the node, it learns before any of these transactions reaches it.
        async Task<string> Send(BigInteger nonce, CancellationToken cancellationToken)
        {
            handedOut.Add(nonce);
            if (handedOut.Count == Senders)
            {
                allHaveANonce.TrySetResult();
            }

            try
            {
                await allHaveANonce.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            }
            catch (TimeoutException)
            {
                // A hang guard, not a measurement: fail every waiting sender at once, by name.
                allHaveANonce.TrySetException(new Xunit.Sdk.XunitException(
                    $"only {handedOut.Count} of {Senders} senders got a nonce while the first one was still sending: does the manager hold its lock while a send runs? Sends must run concurrently."));
                await allHaveANonce.Task;
            }

            return await SendWithNonceAsync(nonce);
        }

        var sends = Enumerable.Range(0, Senders).Select(_ => Task.Run(() => manager.SendAsync(Send, Ct))).ToArray();
        var all = Task.WhenAll(sends);
        try
        {
            await all;
        }
        catch (Exception e) when (e is not NotImplementedException and not Xunit.Sdk.XunitException)
        {
            // A send the node refused (a duplicate nonce): the nonces handed out say why, below.
        }

        await Chain.RpcAsync("evm_mine");

        handedOut.Order().Should().Equal(Enumerable.Range(0, Senders).Select(i => new BigInteger(i)),
            "a fresh account's nonces start at 0, and concurrent senders get each nonce once: none twice, none skipped");
        all.IsCompletedSuccessfully.Should().BeTrue("the node accepted every transaction");
        (await MinedCountAsync()).Should().Be(Senders, "all the transactions were mined in one block: a gap would have held back every later one");
        foreach (var send in sends)
        {
            (await ReceiptAsync(await send)).GetProperty("status").GetString().Should().Be("0x1");
        }
    }

    [Fact]
    public async Task A_new_manager_starts_after_the_transactions_still_waiting_in_the_mempool()
    {
        await SendWithNonceAsync(0);
        await SendWithNonceAsync(1);                            // sent by another process, not mined yet
        var manager = new NonceManager(Web3, Sender);

        BigInteger? given = null;
        await manager.SendAsync((nonce, _) => { given = nonce; return SendWithNonceAsync(nonce); }, Ct);
        await Chain.RpcAsync("evm_mine");

        given.Should().Be(new BigInteger(2), "the node's count of mined transactions is 0, but two more are pending in its mempool: 0 and 1 are taken");
        (await MinedCountAsync()).Should().Be(3);
    }

    [Fact]
    public async Task After_a_send_that_never_reached_the_node_its_nonce_is_used_again()
    {
        var manager = new NonceManager(Web3, Sender);
        await manager.SendAsync((nonce, _) => SendWithNonceAsync(nonce), Ct);
        await manager.SendAsync((nonce, _) => SendWithNonceAsync(nonce), Ct);
        var failure = new HttpRequestException("the node was unreachable");

        var failing = () => manager.SendAsync<string>((_, _) => throw failure, Ct);

        (await failing.Should().ThrowAsync<HttpRequestException>("the manager passes the sender's failure on")).Which.Should().BeSameAs(failure, "unchanged, not wrapped");
        BigInteger? given = null;
        await manager.SendAsync((nonce, _) => { given = nonce; return SendWithNonceAsync(nonce); }, Ct);
        await Chain.RpcAsync("evm_mine");
        given.Should().Be(new BigInteger(2), "nonce 2 never reached the node: handing out 3 leaves a gap, and every later transaction waits behind it forever");
        (await MinedCountAsync()).Should().Be(3);
    }

    [Fact]
    public async Task After_a_send_that_reached_the_node_and_then_failed_its_nonce_is_not_given_again()
    {
        var manager = new NonceManager(Web3, Sender);

        var failing = () => manager.SendAsync<string>(async (nonce, _) =>
        {
            await SendWithNonceAsync(nonce);
            throw new TimeoutException("the reply was lost");
        }, Ct);

        await failing.Should().ThrowAsync<TimeoutException>("the manager passes the sender's failure on");
        BigInteger? given = null;
        await manager.SendAsync((nonce, _) => { given = nonce; return SendWithNonceAsync(nonce); }, Ct);
        await Chain.RpcAsync("evm_mine");
        given.Should().Be(BigInteger.One, "the transaction with nonce 0 reached the node before the failure: giving 0 again is a duplicate (nonce too low, or a replacement)");
        (await MinedCountAsync()).Should().Be(2);
    }

    [Fact]
    public void The_manager_refuses_a_missing_node_or_address()
    {
        var withoutNode = () => new NonceManager(null!, Sender);
        var withoutAddress = () => new NonceManager(Web3, null!);

        withoutNode.Should().Throw<ArgumentNullException>();
        withoutAddress.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public async Task SendAsync_refuses_a_null_sender()
    {
        var manager = new NonceManager(Web3, Sender);

        var act = () => manager.SendAsync<string>(null!, Ct);

        await act.Should().ThrowAsync<ArgumentNullException>();
    }
}
