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
}
