using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing;
using Koans.Testing.Chain;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.NethereumAccounts;

public class WalletTests(AnvilFixture chain) : ChainTest(chain)
{
    private static readonly BigInteger OneEther = BigInteger.Pow(10, 18);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    // Anvil account 1 (the public test mnemonic; see infra/Koans.Testing/Chain/AnvilAccounts.cs). Account 0 is left to the other katas.
    private Web3 ConnectAccount1() => Wallet.Connect(Chain.PrivateKeys[1 % Chain.PrivateKeys.Count], Chain.RpcUrl, AnvilAccounts.ChainId);

    private string Account1 => AnvilAccounts.Addresses[1 % Chain.PrivateKeys.Count];

    // A second client for the checks, independent of the learner's Web3.
    private Web3 Observer => new(Chain.RpcUrl.ToString());

    [Fact]
    public void EtherToWei_is_exact_to_the_last_wei()
    {
        Wallet.EtherToWei(1.5m).Should().Be(BigInteger.Parse("1500000000000000000"), "1 ether is 10^18 wei");
        Wallet.EtherToWei(0.1m).Should().Be(OneEther / 10, "0.1 is exact in decimal (it is not in double: 0.1 * 1e18 as a double is 100000000000000000.0000000000000055...)");
        Wallet.EtherToWei(0.000000000000000001m).Should().Be(BigInteger.One, "the 18th digit after the point is one wei");
        Wallet.EtherToWei(12345.678901234567890123m).Should().Be(BigInteger.Parse("12345678901234567890123"),
            "23 significant digits: a double keeps about 16 and would lose the last wei");
    }

    [Fact]
    public void WeiToEther_is_exact_to_the_last_wei()
    {
        Wallet.WeiToEther(BigInteger.One).Should().Be(0.000000000000000001m);
        Wallet.WeiToEther(BigInteger.Parse("10000000000000000000001")).Should().Be(10000.000000000000000001m,
            "Anvil's 10000 ether plus one wei: the wei must survive the conversion");
        Wallet.WeiToEther(BigInteger.Zero).Should().Be(0m);
    }

    [Fact]
    public void EtherToWei_rejects_amounts_finer_than_a_wei_and_negative_amounts()
    {
        var tooFine = () => Wallet.EtherToWei(0.0000000000000000015m);
        var negative = () => Wallet.EtherToWei(-1m);
        var negativeWei = () => Wallet.WeiToEther(BigInteger.MinusOne);

        tooFine.Should().Throw<ArgumentException>("1.5 wei cannot be sent: rounding it would silently change the amount")
            .Which.Should().NotBeOfType<ArgumentOutOfRangeException>("the amount is not out of range, it is too precise");
        negative.Should().Throw<ArgumentOutOfRangeException>("there is no negative ether");
        negativeWei.Should().Throw<ArgumentOutOfRangeException>("there is no negative wei");
    }

    [Fact]
    public async Task Connect_signs_as_the_key_s_address_and_reads_balances_in_wei()
    {
        var web3 = ConnectAccount1();

        web3.TransactionManager.Account.Address.Should().Be(Account1, "the account's address is derived from its private key (EIP-55 checksummed)");
        (await Wallet.GetBalanceAsync(web3, FreshAddress(), Ct)).Should().Be(BigInteger.Zero, "a fresh address has nothing");
        (await Wallet.GetBalanceAsync(web3, Account1, Ct)).Should().Be((await Observer.Eth.GetBalance.SendRequestAsync(Account1)).Value,
            "the balance is eth_getBalance at the latest block, in wei");
    }

    [Fact]
    public async Task SendEther_credits_the_value_and_debits_value_plus_gasUsed_times_effectiveGasPrice_to_the_wei()
    {
        var web3 = ConnectAccount1();
        var recipient = FreshAddress();
        var value = 12345 * BigInteger.Pow(10, 12);

        var receipt = await Wallet.SendEtherAsync(web3, recipient, value, Ct);

        receipt.Status.Value.Should().Be(BigInteger.One);
        var block = receipt.BlockNumber.Value;
        var before = await Observer.Eth.GetBalance.SendRequestAsync(Account1, new Nethereum.RPC.Eth.DTOs.BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(block - 1)));
        var after = await Observer.Eth.GetBalance.SendRequestAsync(Account1, new Nethereum.RPC.Eth.DTOs.BlockParameter(new Nethereum.Hex.HexTypes.HexBigInteger(block)));
        (before.Value - after.Value).Should().Be(value + (receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value),
            "the sender pays the value plus gasUsed * effectiveGasPrice, nothing more: the unused part of maxFeePerGas is never charged");
        (await Observer.Eth.GetBalance.SendRequestAsync(recipient)).Value.Should().Be(value, "the recipient gets the value, to the wei");
    }

    [Fact]
    public async Task SendEther_sends_an_EIP_1559_transaction_signed_for_this_chain()
    {
        var web3 = ConnectAccount1();

        var receipt = await Wallet.SendEtherAsync(web3, FreshAddress(), OneEther / 1000, Ct);

        var transaction = await Observer.Eth.Transactions.GetTransactionByHash.SendRequestAsync(receipt.TransactionHash);
        transaction.Type.Value.Should().Be(new BigInteger(2),
            "type 2 (EIP-1559): a legacy gasPrice transaction overpays whenever the base fee drops, and is what the library sends only if told to");
        transaction.MaxPriorityFeePerGas.Should().NotBeNull("a type-2 transaction names its tip");
        transaction.MaxFeePerGas.Value.Should().BeGreaterThanOrEqualTo(receipt.EffectiveGasPrice.Value, "the fee cap bounds what was paid per gas");
        var raw = await Chain.RpcAsync("eth_getTransactionByHash", receipt.TransactionHash);
        raw.GetProperty("chainId").GetString().Should().Be("0x7a69", "the signature commits to chain 31337 (EIP-155): it cannot be replayed on another chain");
    }

    [Fact]
    public async Task SendEther_of_more_than_the_balance_is_refused_and_nothing_is_mined()
    {
        var web3 = ConnectAccount1();
        var balance = (await Observer.Eth.GetBalance.SendRequestAsync(Account1)).Value;
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;

        var act = () => Wallet.SendEtherAsync(web3, FreshAddress(), balance + 1, Ct);

        await act.Should().ThrowAsync<RpcResponseException>("the node refuses it while estimating gas (insufficient funds): let that error reach the caller, do not return a fake receipt");
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce, "nothing was sent, so the nonce did not move");
    }

    [Fact]
    public async Task SendEther_rejects_a_negative_amount_before_anything_is_sent()
    {
        var web3 = ConnectAccount1();
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;

        var act = () => Wallet.SendEtherAsync(web3, FreshAddress(), BigInteger.MinusOne, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce);
    }

    [Fact]
    public async Task Payments_submitted_while_none_is_mined_get_consecutive_nonces()
    {
        Chain.SkipUnlessCheats();
        var web3 = ConnectAccount1();
        var recipients = new[] { FreshAddress(), FreshAddress(), FreshAddress() };
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;
        // A hang guard, not a timing assertion: a solution that waits for receipts would wait for a block that never comes.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(20));

        IReadOnlyList<string> hashes;
        await Chain.RpcAsync("evm_setAutomine", false);
        try
        {
            hashes = await Wallet.SubmitPaymentsAsync(web3, [.. recipients.Select((to, i) => new Payment(to, i + 1))], guard.Token);
            (await Observer.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hashes[0])).Should().BeNull(
                "nothing is mined yet: the three transactions wait in the node's pending pool");
            await Chain.RpcAsync("evm_mine");
        }
        finally
        {
            await Chain.RpcAsync("evm_setAutomine", true);
        }

        hashes.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        var nonces = new List<BigInteger>();
        foreach (var hash in hashes)
        {
            (await Observer.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash)).Status.Value.Should().Be(BigInteger.One);
            nonces.Add((await Observer.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash)).Nonce.Value);
        }

        nonces.Should().Equal([nonce, nonce + 1, nonce + 2],
            "each pending transaction takes the next nonce: a nonce read from the latest block gives all three the same one, and only one survives");
        for (var i = 0; i < recipients.Length; i++)
        {
            (await Observer.Eth.GetBalance.SendRequestAsync(recipients[i])).Value.Should().Be(new BigInteger(i + 1));
        }
    }

    [Fact]
    public async Task Null_arguments_are_refused_by_name_before_anything_is_sent()
    {
        var web3 = ConnectAccount1();
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;

        var connect = () => Wallet.Connect(Chain.PrivateKeys[1 % Chain.PrivateKeys.Count], null!, AnvilAccounts.ChainId);
        var balance = () => Wallet.GetBalanceAsync(null!, Account1, Ct);
        var send = () => Wallet.SendEtherAsync(null!, FreshAddress(), BigInteger.One, Ct);
        var submitWithoutWeb3 = () => Wallet.SubmitPaymentsAsync(null!, [new Payment(FreshAddress(), BigInteger.One)], Ct);
        var submitNothing = () => Wallet.SubmitPaymentsAsync(web3, null!, Ct);

        connect.Should().Throw<ArgumentNullException>("a missing URL is the caller's mistake: name it, rather than fail later inside the library")
            .WithParameterName("rpcUrl");
        (await balance.Should().ThrowAsync<ArgumentNullException>("a NullReferenceException from inside the method does not say which argument was missing"))
            .WithParameterName("web3");
        (await send.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await submitWithoutWeb3.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await submitNothing.Should().ThrowAsync<ArgumentNullException>("a null batch is not an empty batch")).WithParameterName("payments");
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce);
    }

    [Fact]
    public async Task A_token_canceled_before_the_call_stops_it_before_anything_is_sent()
    {
        var web3 = ConnectAccount1();
        var recipient = FreshAddress();
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var balance = () => Wallet.GetBalanceAsync(web3, Account1, canceled.Token);
        var send = () => Wallet.SendEtherAsync(web3, recipient, BigInteger.One, canceled.Token);
        var submit = () => Wallet.SubmitPaymentsAsync(web3, [new Payment(recipient, BigInteger.One)], canceled.Token);

        await balance.Should().ThrowAsync<OperationCanceledException>("the caller gave up before the call: answering anyway ignores the token");
        await send.Should().ThrowAsync<OperationCanceledException>("a payment the caller canceled must not be signed and sent");
        await submit.Should().ThrowAsync<OperationCanceledException>("each payment of a batch checks the token before it is sent");
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce, "nothing was sent");
        (await Observer.Eth.GetBalance.SendRequestAsync(recipient)).Value.Should().Be(BigInteger.Zero, "nothing was paid");
    }

    [Fact]
    public async Task SendEther_of_a_transfer_mined_as_a_failure_throws_and_pays_nothing()
    {
        Chain.SkipUnlessCheats();
        var web3 = ConnectAccount1();
        var recipient = FreshAddress();
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;
        // After the library has estimated the gas (a plain transfer) and just before the signed transaction reaches the
        // node, the recipient becomes a contract that reverts whatever it is sent (PUSH1 0 PUSH1 0 REVERT: 60 00 60 00 fd).
        // The transaction is still valid, so the node mines it, and it fails: a receipt with status 0.
        web3.Client.OverridingRequestInterceptor = new BeforeBroadcast(() => Chain.RpcAsync("anvil_setCode", recipient, "0x60006000fd"));

        var act = () => Wallet.SendEtherAsync(web3, recipient, OneEther / 1000, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "the receipt says status 0: returning it as if the payment were made is how a failed withdrawal gets marked as paid");
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce + 1,
            "the transaction was mined: its nonce and its gas are spent");
        (await Observer.Eth.GetBalance.SendRequestAsync(recipient)).Value.Should().Be(BigInteger.Zero, "the value never arrived");
    }

    [Fact]
    public async Task SubmitPayments_checks_every_amount_before_it_sends_the_first()
    {
        var web3 = ConnectAccount1();
        var first = FreshAddress();
        var nonce = (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value;

        var act = () => Wallet.SubmitPaymentsAsync(web3, [new Payment(first, BigInteger.One), new Payment(FreshAddress(), BigInteger.MinusOne)], Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("the second amount is negative");
        (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Account1)).Value.Should().Be(nonce,
            "checking each amount only when its turn comes would already have sent the first: a half-paid batch that cannot be taken back");
        (await Observer.Eth.GetBalance.SendRequestAsync(first)).Value.Should().Be(BigInteger.Zero);
    }

    [Fact]
    public async Task The_wallet_never_resumes_on_the_caller_s_synchronization_context()
    {
        var web3 = ConnectAccount1();
        // The caller is a UI thread (or a classic ASP.NET request): its context runs one thing at a time. Each call
        // starts on it and goes asynchronous at once (the node is another process), so the method's own awaits decide
        // whether their continuations are posted back to it.
        var context = new CallerContext();

        await context.Run(() => Wallet.GetBalanceAsync(web3, Account1, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, "after the node answers, a library method must not queue its rest behind the caller's UI messages " +
            "(and a caller blocking on the task would deadlock): every await in library code opts out of the caller's context");
        await context.Run(() => Wallet.SendEtherAsync(web3, FreshAddress(), BigInteger.One, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, "nor after waiting for the receipt");
        await context.Run(() => Wallet.SubmitPaymentsAsync(web3, [new Payment(FreshAddress(), BigInteger.One)], Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, "nor after each payment of a batch");
    }

    /// <summary>Runs <paramref name="action"/> on the chain just before a signed transaction reaches the node: after its gas was estimated, before it is mined.</summary>
    private sealed class BeforeBroadcast(Func<Task> action) : RequestInterceptor
    {
        public override async Task<object> InterceptSendRequestAsync<T>(Func<RpcRequest, string, Task<T>> interceptedSendRequestAsync, RpcRequest request, string? route = null)
        {
            if (request.Method == "eth_sendRawTransaction")
            {
                await action();
            }

            return (await interceptedSendRequestAsync(request, route!))!;
        }
    }
}
