using System.Numerics;
using System.Security.Cryptography;
using Koans.Testing.Chain;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.DeployAndCall;

public class ContractClientTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/KoansToken.sol: constructor(string name_, string symbol_, uint256 initialSupply).
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");
    private static readonly string[] ConstructorTypes = ["string", "string", "uint256"];
    private static readonly BigInteger Supply = 1_000_000 * BigInteger.Pow(10, 18);
    private ContractClient Client => new(new Web3(new Nethereum.Web3.Accounts.Account(Key, AnvilAccounts.ChainId), Chain.RpcUrl.ToString()));

    private string Key => Chain.PrivateKeys[0];

    private string Deployer => new Nethereum.Web3.Accounts.Account(Key).Address;

    // A second connection for the checks, independent of the learner's calls.
    private Web3 Observer => new(Chain.RpcUrl.ToString());

    private async Task<BigInteger> NonceAsync() => (await Observer.Eth.Transactions.GetTransactionCount.SendRequestAsync(Deployer)).Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string FreshAddress() => "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private Task<DeployedContract> DeployTokenAsync(ContractClient client) =>
        client.DeployAsync(Token.Bytecode, ConstructorTypes, ["Koans Token", "KOAN", Supply], Ct);

    [Fact]
    public async Task The_contract_lands_at_the_CREATE_address_predicted_from_sender_and_nonce()
    {
        var client = Client;
        var predicted = await client.PredictNextContractAddressAsync(Deployer, Ct);

        var deployed = await DeployTokenAsync(client);

        deployed.Address.Should().BeEquivalentTo(predicted, "CREATE puts the contract at keccak256(rlp([sender, nonce]))[12..], known before sending");
        deployed.Receipt.ContractAddress.Should().BeEquivalentTo(predicted, "the receipt of a creation names the new contract");
    }

    [Fact]
    public async Task The_code_on_chain_is_the_runtime_bytecode_not_the_creation_bytecode()
    {
        var client = Client;
        var deployed = await DeployTokenAsync(client);

        var code = await Observer.Eth.GetCode.SendRequestAsync(deployed.Address);

        code.Should().Be("0x" + Convert.ToHexStringLower(Token.DeployedBytecode),
            "the constructor runs once and returns the runtime code, which is what the chain stores (solc's deployedBytecode)");
    }

    [Fact]
    public async Task Views_read_the_constructor_arguments_back_with_eth_call()
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;

        (await client.CallAsync(token, "name()", ["string"], [], cancellationToken: Ct)).Should().Equal(["Koans Token"], "the constructor stored name_");
        (await client.CallAsync(token, "symbol()", ["string"], [], cancellationToken: Ct)).Should().Equal(["KOAN"]);
        (await client.CallAsync(token, "decimals()", ["uint8"], [], cancellationToken: Ct)).Should().Equal([new BigInteger(18)]);
        (await client.CallAsync(token, "balanceOf(address)", ["uint256"], [Deployer], cancellationToken: Ct)).Should().Equal([Supply],
            "the whole initial supply goes to the deployer");
    }

    [Fact]
    public async Task A_transaction_changes_state_and_an_eth_call_of_the_same_function_does_not()
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;
        var recipient = FreshAddress();

        var simulated = await client.CallAsync(token, "transfer(address,uint256)", ["bool"], [recipient, new BigInteger(5)], from: Deployer, cancellationToken: Ct);
        simulated.Should().Equal([true], "eth_call runs transfer as the deployer (from) and returns its result...");
        (await client.CallAsync(token, "balanceOf(address)", ["uint256"], [recipient], cancellationToken: Ct)).Should().Equal([BigInteger.Zero],
            "...but throws the state away: nothing moved");

        var receipt = await client.TransactAsync(token, "transfer(address,uint256)", [recipient, new BigInteger(5)], BigInteger.Zero, Ct);

        receipt.Status.Value.Should().Be(BigInteger.One);
        (await client.CallAsync(token, "balanceOf(address)", ["uint256"], [recipient], cancellationToken: Ct)).Should().Equal([new BigInteger(5)],
            "a mined transaction changes the state");
    }

    [Fact]
    public async Task Calling_an_address_without_code_is_an_error_not_a_zero()
    {
        var act = () => Client.CallAsync(FreshAddress(), "balanceOf(address)", ["uint256"], [Deployer], cancellationToken: Ct);

        await act.Should().ThrowAsync<InvalidOperationException>(
            "a call to an account without code returns empty data; decoding it as 0 would report a balance that does not exist");
    }

    [Fact]
    public async Task A_transfer_beyond_the_balance_is_refused_by_the_gas_estimate()
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;

        var nonce = await NonceAsync();

        var act = () => client.TransactAsync(token, "transfer(address,uint256)", [FreshAddress(), Supply + 1], BigInteger.Zero, Ct);

        await act.Should().ThrowAsync<RpcResponseException>("eth_estimateGas runs the call first, and it reverts with ERC20InsufficientBalance");
        (await NonceAsync()).Should().Be(nonce, "nothing was signed or sent");
    }

    [Fact]
    public async Task Constructor_arguments_that_do_not_match_the_types_are_refused_before_sending()
    {
        var client = Client;
        var nonce = await NonceAsync();

        var act = () => client.DeployAsync(Token.Bytecode, ConstructorTypes, ["Koans Token", "KOAN", "a million"], Ct);

        await act.Should().ThrowAsync<ArgumentException>("a uint256 cannot be encoded from a string");
        (await NonceAsync()).Should().Be(nonce, "nothing was sent");
    }

    [Fact]
    public async Task The_predicted_address_is_lowercase_hex()
    {
        var predicted = await Client.PredictNextContractAddressAsync(Deployer, Ct);

        predicted.Should().MatchRegex("^0x[0-9a-f]{40}$", "the documented form is 0x and 40 lowercase hex digits, as nodes send addresses");
    }

    [Fact]
    public async Task Outputs_come_back_in_the_order_of_the_return_types()
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;

        // name() returns a string, which the ABI encodes as a head word (the offset of the tail: 32) and a tail that
        // starts with the length ("Koans Token": 11 bytes). Read as two uint256 words, the first is 32 and the second 11.
        var words = await client.CallAsync(token, "name()", ["uint256", "uint256"], [], cancellationToken: Ct);

        words.Should().Equal([new BigInteger(32), new BigInteger(11)], "outputs are returned in the order of returnTypes: offset, then length");
    }

    [Fact]
    public async Task A_call_that_expects_no_outputs_returns_none_even_from_an_address_without_code()
    {
        var outputs = await Client.CallAsync(FreshAddress(), "ping()", [], [], cancellationToken: Ct);

        outputs.Should().BeEmpty("empty data is an error only when outputs were expected; nothing to decode is not a lie");
    }

    [Theory]
    [InlineData("balanceOf")] // no parentheses
    [InlineData("balanceOf(address")] // not closed
    [InlineData("(address)")] // no name
    public async Task A_signature_that_is_not_name_and_parenthesised_types_is_refused_before_anything_is_sent(string signature)
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;
        var nonce = await NonceAsync();

        var call = () => client.CallAsync(token, signature, ["uint256"], [Deployer], cancellationToken: Ct);
        var transact = () => client.TransactAsync(token, signature, [Deployer], BigInteger.Zero, Ct);

        (await call.Should().ThrowAsync<ArgumentException>("the selector is keccak256 of the canonical signature name(type,...): anything else selects another function, or none"))
            .WithParameterName("functionSignature");
        (await transact.Should().ThrowAsync<ArgumentException>("a transaction is built from the same signature")).WithParameterName("functionSignature");
        (await NonceAsync()).Should().Be(nonce, "nothing was signed or sent");
    }

    [Fact]
    public async Task Fewer_values_than_types_are_refused_instead_of_encoding_a_shorter_call()
    {
        var client = Client;
        var token = (await DeployTokenAsync(client)).Address;
        var nonce = await NonceAsync();

        var deploy = () => client.DeployAsync(Token.Bytecode, ConstructorTypes, ["Koans Token", "KOAN"], Ct);
        var transact = () => client.TransactAsync(token, "transfer(address,uint256)", [FreshAddress()], BigInteger.Zero, Ct);

        (await deploy.Should().ThrowAsync<ArgumentException>("three types and two values: pairing them up would drop the supply and deploy with garbage"))
            .WithParameterName("constructorArgs");
        (await transact.Should().ThrowAsync<ArgumentException>("transfer(address,uint256) with only the address would send a call the token reads as 0 tokens, or reverts"))
            .WithParameterName("args");
        (await NonceAsync()).Should().Be(nonce, "nothing was signed or sent");
    }

    [Fact]
    public async Task A_cancelled_caller_gets_OperationCanceledException_before_any_request()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var client = Client;

        var predict = () => client.PredictNextContractAddressAsync(Deployer, cancelled.Token);
        var call = () => client.CallAsync(FreshAddress(), "balanceOf(address)", ["uint256"], [Deployer], cancellationToken: cancelled.Token);

        await predict.Should().ThrowAsync<OperationCanceledException>("a caller that has given up gets no answer, even from a request that takes no token");
        await call.Should().ThrowAsync<OperationCanceledException>("an eth_call for a caller that has given up is not made");
    }

    [Fact]
    public async Task Null_and_blank_arguments_are_refused_by_name()
    {
        // Refused up front, by name: otherwise a null surfaces deep inside the library as a NullReferenceException, or a
        // blank address goes out as a call to nowhere (a contract creation, for a transaction).
        var client = Client;

        (await client.Awaiting(c => c.PredictNextContractAddressAsync(null!, Ct)).Should().ThrowAsync<ArgumentNullException>()).WithParameterName("deployer");
        (await client.Awaiting(c => c.PredictNextContractAddressAsync(" ", Ct)).Should().ThrowAsync<ArgumentException>()).WithParameterName("deployer");
        (await client.Awaiting(c => c.DeployAsync(null!, ConstructorTypes, ["Koans Token", "KOAN", Supply], Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("bytecode");
        (await client.Awaiting(c => c.DeployAsync(Token.Bytecode, null!, ["Koans Token", "KOAN", Supply], Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("constructorTypes");
        (await client.Awaiting(c => c.DeployAsync(Token.Bytecode, ConstructorTypes, null!, Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("constructorArgs");
        (await client.Awaiting(c => c.CallAsync(null!, "name()", ["string"], [], cancellationToken: Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("contract");
        (await client.Awaiting(c => c.CallAsync(FreshAddress(), null!, ["string"], [], cancellationToken: Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("functionSignature");
        (await client.Awaiting(c => c.CallAsync(FreshAddress(), "name()", null!, [], cancellationToken: Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("returnTypes");
        (await client.Awaiting(c => c.CallAsync(FreshAddress(), "name()", ["string"], null!, cancellationToken: Ct)).Should().ThrowAsync<ArgumentNullException>())
            .WithParameterName("args");
        (await client.Awaiting(c => c.TransactAsync(" ", "transfer(address,uint256)", [FreshAddress(), BigInteger.One], BigInteger.Zero, Ct))
            .Should().ThrowAsync<ArgumentException>()).WithParameterName("contract");
        var withoutConnection = () => new ContractClient(null!);
        withoutConnection.Should().Throw<ArgumentNullException>("a client needs a connection").WithParameterName("web3");
    }
}
