using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing;
using Koans.Testing.Chain;
using Nethereum.Contracts;
using Nethereum.JsonRpc.Client;
using Nethereum.Util;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.NethereumContracts;

public class TokenContractsTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/artifacts, compiled from infra/chain/contracts by solc 0.8.30 (node infra/chain/compile.js).
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly ContractArtifact Sale = ContractArtifact.Load("TokenSale");
    // PUSH1 0 PUSH1 0 REVERT (60 00 60 00 fd): a contract that reverts whatever it is sent.
    private const string RevertEverything = "0x60006000fd";
    private static readonly BigInteger Supply = 1_000_000 * BigInteger.Pow(10, 18);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private Web3 Deployer => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[0], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string DeployerAddress => Deployer.TransactionManager.Account.Address;

    // The checks read the chain through the artifact's ABI JSON, independently of the learner's attributes.
    private Contract Observe(ContractArtifact artifact, string address) => new Web3(Chain.RpcUrl.ToString()).Eth.GetContract(artifact.Abi.GetRawText(), address);

    private Task<string> DeployTokenAsync() => TokenContracts.DeployTokenAsync(Deployer, Hex(Token.Bytecode), "Koans Token", "KOAN", Supply, Ct);

    private async Task<BigInteger> NonceAsync(string address) => (await new Web3(Chain.RpcUrl.ToString()).Eth.Transactions.GetTransactionCount.SendRequestAsync(address)).Value;

    [Fact]
    public async Task Deploy_runs_the_constructor_with_its_arguments_in_order_at_the_CREATE_address()
    {
        var nonce = await NonceAsync(DeployerAddress);

        var token = await DeployTokenAsync();

        token.Should().BeEquivalentTo(ContractUtils.CalculateContractAddress(DeployerAddress, nonce),
            "a contract created by a transaction lives at keccak256(rlp([sender, nonce]))[12:], and that is the receipt's contractAddress");
        var observed = Observe(Token, token);
        (await observed.GetFunction("name").CallAsync<string>()).Should().Be("Koans Token", "the first constructor parameter is name_");
        (await observed.GetFunction("symbol").CallAsync<string>()).Should().Be("KOAN", "the second is symbol_: swapped positions swap the strings");
        (await observed.GetFunction("totalSupply").CallAsync<BigInteger>()).Should().Be(Supply);
        (await observed.GetFunction("balanceOf").CallAsync<BigInteger>(DeployerAddress)).Should().Be(Supply, "the constructor gives the supply to the deployer");
    }

    [Fact]
    public async Task BalanceOf_is_a_query_that_sends_no_transaction()
    {
        var token = await DeployTokenAsync();
        var nonce = await NonceAsync(DeployerAddress);
        var block = await Chain.RpcAsync("eth_blockNumber");

        var deployerBalance = await TokenContracts.BalanceOfAsync(Deployer, token, DeployerAddress, Ct);
        var strangerBalance = await TokenContracts.BalanceOfAsync(Deployer, token, FreshAddress(), Ct);

        deployerBalance.Should().Be(Supply, "balanceOf(deployer) after the constructor");
        strangerBalance.Should().Be(BigInteger.Zero);
        (await NonceAsync(DeployerAddress)).Should().Be(nonce, "a view function is read with eth_call: sending it as a transaction costs gas and returns a receipt, not the balance");
        (await Chain.RpcAsync("eth_blockNumber")).GetString().Should().Be(block.GetString(), "no block was mined for a read");
    }

    [Fact]
    public async Task Transfer_calls_transfer_address_uint256_and_moves_the_tokens()
    {
        var token = await DeployTokenAsync();
        var recipient = FreshAddress();

        var receipt = await TokenContracts.TransferAsync(Deployer, token, recipient, 1234, Ct);

        receipt.To.Should().BeEquivalentTo(token, "the transaction goes to the token contract, not to the recipient");
        var sent = await Chain.RpcAsync("eth_getTransactionByHash", receipt.TransactionHash);
        // The selector of transfer(address,uint256) is 0xa9059cbb: the ERC-20 standard's (EIP-20) and every wallet's.
        sent.GetProperty("input").GetString().Should().StartWith("0xa9059cbb",
            "the [Function] name and the [Parameter] types make the selector: keccak256(\"transfer(address,uint256)\")[0..4]");
        var observed = Observe(Token, token);
        (await observed.GetFunction("balanceOf").CallAsync<BigInteger>(recipient)).Should().Be(new BigInteger(1234));
        (await observed.GetFunction("balanceOf").CallAsync<BigInteger>(DeployerAddress)).Should().Be(Supply - 1234);
    }

    [Fact]
    public async Task EstimateTransferGas_asks_the_node_and_sends_nothing()
    {
        var token = await DeployTokenAsync();
        var recipient = FreshAddress();
        var nonce = await NonceAsync(DeployerAddress);

        var estimate = await TokenContracts.EstimateTransferGasAsync(Deployer, token, recipient, 1000, Ct);

        (await NonceAsync(DeployerAddress)).Should().Be(nonce, "estimating is eth_estimateGas: nothing is signed or sent");
        var receipt = await TokenContracts.TransferAsync(Deployer, token, recipient, 1000, Ct);
        estimate.Should().BeGreaterThanOrEqualTo(receipt.GasUsed.Value, "an estimate must be enough for the transaction it estimates")
            .And.BeLessThan(receipt.GasUsed.Value + 10_000, "it is the node's estimate for this call (two cold storage slots, one of them new), not a fixed default like 90000 or 21000");
    }

    [Fact]
    public async Task Transfer_of_more_than_the_balance_is_refused_before_it_is_mined()
    {
        var token = await DeployTokenAsync();
        var nonce = await NonceAsync(DeployerAddress);

        var act = () => TokenContracts.TransferAsync(Deployer, token, FreshAddress(), Supply + 1, Ct);

        await act.Should().ThrowAsync<SmartContractCustomErrorRevertException>(
            "the gas estimate runs the call first; it reverts with ERC20InsufficientBalance, and the library throws that custom error");
        (await NonceAsync(DeployerAddress)).Should().Be(nonce, "nothing was mined: a transaction sent with a fixed gas limit would have failed on chain and cost gas");
    }

    [Fact]
    public async Task Buy_pays_ether_with_the_call_and_receives_tokens_at_the_rate()
    {
        var token = await DeployTokenAsync();
        var sale = await TokenContracts.DeploySaleAsync(Deployer, Hex(Sale.Bytecode), token, tokensPerEth: 100, Ct);
        await TokenContracts.TransferAsync(Deployer, token, sale, 1000 * BigInteger.Pow(10, 18), Ct);
        var buyer = new Web3(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[2 % Chain.PrivateKeys.Count], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());
        var wei = BigInteger.Pow(10, 16); // 0.01 ether

        await TokenContracts.BuyAsync(buyer, sale, wei, Ct);

        var observedSale = Observe(Sale, sale);
        (await observedSale.GetFunction("token").CallAsync<string>()).Should().BeEquivalentTo(token, "the sale's constructor took the token's address first");
        (await observedSale.GetFunction("tokensPerEth").CallAsync<BigInteger>()).Should().Be(new BigInteger(100));
        (await Observe(Token, token).GetFunction("balanceOf").CallAsync<BigInteger>(buyer.TransactionManager.Account.Address))
            .Should().Be(wei * 100, "buy() gives msg.value * tokensPerEth base units");
        (await new Web3(Chain.RpcUrl.ToString()).Eth.GetBalance.SendRequestAsync(sale)).Value.Should().Be(wei,
            "the ether is the transaction's value (AmountToSend), not a function argument");
    }

    [Fact]
    public async Task Buy_without_ether_is_rejected_before_anything_is_sent()
    {
        var nonce = await NonceAsync(DeployerAddress);

        var act = () => TokenContracts.BuyAsync(Deployer, FreshAddress(), BigInteger.Zero, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("buy() of nothing would revert on chain; refuse it locally");
        (await NonceAsync(DeployerAddress)).Should().Be(nonce);
    }

    [Fact]
    public async Task A_null_web3_is_refused_by_name_before_anything_is_sent()
    {
        var token = await DeployTokenAsync();
        var nonce = await NonceAsync(DeployerAddress);

        var deployToken = () => TokenContracts.DeployTokenAsync(null!, Hex(Token.Bytecode), "Koans Token", "KOAN", Supply, Ct);
        var balanceOf = () => TokenContracts.BalanceOfAsync(null!, token, DeployerAddress, Ct);
        var estimate = () => TokenContracts.EstimateTransferGasAsync(null!, token, FreshAddress(), 1, Ct);
        var transfer = () => TokenContracts.TransferAsync(null!, token, FreshAddress(), 1, Ct);
        var deploySale = () => TokenContracts.DeploySaleAsync(null!, Hex(Sale.Bytecode), token, 100, Ct);
        var buy = () => TokenContracts.BuyAsync(null!, FreshAddress(), BigInteger.One, Ct);

        (await deployToken.Should().ThrowAsync<ArgumentNullException>(
            "a NullReferenceException from inside the method does not say which argument was missing")).WithParameterName("web3");
        (await balanceOf.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await estimate.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await transfer.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await deploySale.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await buy.Should().ThrowAsync<ArgumentNullException>()).WithParameterName("web3");
        (await NonceAsync(DeployerAddress)).Should().Be(nonce);
    }

    [Fact]
    public async Task A_token_canceled_before_the_call_stops_it_before_anything_is_sent()
    {
        var token = await DeployTokenAsync();
        var nonce = await NonceAsync(DeployerAddress);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        var deployToken = () => TokenContracts.DeployTokenAsync(Deployer, Hex(Token.Bytecode), "Koans Token", "KOAN", Supply, canceled.Token);
        var balanceOf = () => TokenContracts.BalanceOfAsync(Deployer, token, DeployerAddress, canceled.Token);
        var estimate = () => TokenContracts.EstimateTransferGasAsync(Deployer, token, FreshAddress(), 1, canceled.Token);
        var transfer = () => TokenContracts.TransferAsync(Deployer, token, FreshAddress(), 1, canceled.Token);
        var deploySale = () => TokenContracts.DeploySaleAsync(Deployer, Hex(Sale.Bytecode), token, 100, canceled.Token);
        var buy = () => TokenContracts.BuyAsync(Deployer, FreshAddress(), BigInteger.One, canceled.Token);

        await balanceOf.Should().ThrowAsync<OperationCanceledException>("the caller gave up before the call: answering anyway ignores the token");
        await estimate.Should().ThrowAsync<OperationCanceledException>("an estimate is a question to the node like any other");
        await deployToken.Should().ThrowAsync<OperationCanceledException>("a deployment the caller canceled must not be signed and sent");
        await transfer.Should().ThrowAsync<OperationCanceledException>();
        await deploySale.Should().ThrowAsync<OperationCanceledException>();
        await buy.Should().ThrowAsync<OperationCanceledException>();
        (await NonceAsync(DeployerAddress)).Should().Be(nonce, "nothing was sent");
    }

    [Fact]
    public async Task Transfer_mined_as_a_failure_throws()
    {
        Chain.SkipUnlessCheats();
        var token = await DeployTokenAsync();
        var recipient = FreshAddress();
        var nonce = await NonceAsync(DeployerAddress);
        var web3 = Deployer;
        // The gas estimate passes; then, just before the signed transaction reaches the node, the token's code is
        // replaced by one that reverts whatever it is sent (PUSH1 0 PUSH1 0 REVERT). The node mines it: status 0.
        web3.Client.OverridingRequestInterceptor = new BeforeBroadcast(() => Chain.RpcAsync("anvil_setCode", token, RevertEverything));

        var act = () => TokenContracts.TransferAsync(web3, token, recipient, 1234, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "the receipt says status 0: the tokens did not move, and returning the receipt as a success is how a failed payment gets marked as paid");
        (await NonceAsync(DeployerAddress)).Should().Be(nonce + 1, "the failed transaction was mined: its nonce and its gas are spent");
    }

    [Fact]
    public async Task Buy_mined_as_a_failure_throws()
    {
        Chain.SkipUnlessCheats();
        var token = await DeployTokenAsync();
        var sale = await TokenContracts.DeploySaleAsync(Deployer, Hex(Sale.Bytecode), token, tokensPerEth: 100, Ct);
        await TokenContracts.TransferAsync(Deployer, token, sale, 1000 * BigInteger.Pow(10, 18), Ct);
        var web3 = Deployer;
        web3.Client.OverridingRequestInterceptor = new BeforeBroadcast(() => Chain.RpcAsync("anvil_setCode", sale, RevertEverything));

        var act = () => TokenContracts.BuyAsync(web3, sale, BigInteger.Pow(10, 16), Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "every method that sends checks the receipt, not only transfer: a failed buy() paid gas and bought nothing");
        (await new Web3(Chain.RpcUrl.ToString()).Eth.GetBalance.SendRequestAsync(sale)).Value.Should().Be(BigInteger.Zero, "the ether went back with the revert");
    }

    [Fact]
    public async Task Deploy_mined_as_a_failure_throws()
    {
        Chain.SkipUnlessCheats();
        var web3 = Deployer;
        var nonce = await NonceAsync(DeployerAddress);
        var address = ContractUtils.CalculateContractAddress(DeployerAddress, nonce);
        // Just before the deployment reaches the node, code appears at the address it would create: CREATE refuses to
        // deploy over an existing contract (EIP-684), so the transaction is mined and fails, and its receipt still
        // names that contractAddress.
        web3.Client.OverridingRequestInterceptor = new BeforeBroadcast(() => Chain.RpcAsync("anvil_setCode", address, RevertEverything));

        var act = () => TokenContracts.DeployTokenAsync(web3, Hex(Token.Bytecode), "Koans Token", "KOAN", Supply, Ct);

        await act.Should().ThrowExactlyAsync<InvalidOperationException>(
            "a failed deployment's receipt can still carry a contractAddress; returning it hands the caller an address with no token behind it");
        (await NonceAsync(DeployerAddress)).Should().Be(nonce + 1, "the failed deployment was mined: its nonce and its gas are spent");
    }

    [Fact]
    public async Task The_calls_never_resume_on_the_caller_s_synchronization_context()
    {
        // The caller is a UI thread (or a classic ASP.NET request): its context runs one thing at a time. Each call
        // starts on it and goes asynchronous at once (the node is another process), so the method's own awaits decide
        // whether their continuations are posted back to it.
        var context = new CallerContext();
        const string because = "after the node answers, a library method must not queue its rest behind the caller's UI messages " +
            "(and a caller blocking on the task would deadlock): every await in library code opts out of the caller's context";

        var token = await context.Run(() => TokenContracts.DeployTokenAsync(Deployer, Hex(Token.Bytecode), "Koans Token", "KOAN", Supply, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
        await context.Run(() => TokenContracts.BalanceOfAsync(Deployer, token, DeployerAddress, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
        await context.Run(() => TokenContracts.EstimateTransferGasAsync(Deployer, token, FreshAddress(), 1, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
        var sale = await context.Run(() => TokenContracts.DeploySaleAsync(Deployer, Hex(Sale.Bytecode), token, 100, Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
        await context.Run(() => TokenContracts.TransferAsync(Deployer, token, sale, 1000 * BigInteger.Pow(10, 18), Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
        await context.Run(() => TokenContracts.BuyAsync(Deployer, sale, BigInteger.Pow(10, 16), Ct)).WaitAsync(Ct);
        context.Posts.Should().Be(0, because);
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
