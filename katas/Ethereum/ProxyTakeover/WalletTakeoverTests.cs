using System.Numerics;
using Koans.Testing.Chain;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.ProxyTakeover;

public class WalletTakeoverTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/WalletProxy.sol: WalletProxy (EIP-1967, constructor(address implementation, bytes initData)),
    // WalletLogic (initialize(address) once, withdraw(address,uint256) for the owner) and LockedWalletLogic (the same,
    // with its own initializer locked by its constructor).
    private static readonly ContractArtifact Proxy = ContractArtifact.Load("WalletProxy");
    private static readonly ContractArtifact Logic = ContractArtifact.Load("WalletLogic");
    private static readonly ContractArtifact LockedLogic = ContractArtifact.Load("LockedWalletLogic");

    // EIP-1967, "Logic contract address": storage slot 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc
    // (obtained as bytes32(uint256(keccak256('eip1967.proxy.implementation')) - 1)). https://eips.ethereum.org/EIPS/eip-1967
    private const string Eip1967ImplementationSlot = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    // Account 0 deploys and owns the wallets; account 9 is the attacker.
    private const int OwnerIndex = 0;
    private const int AttackerIndex = 9;

    // Snapshots isolate the tests: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Web3 As(int index) => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string AddressOf(int index) => new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index]).Address;

    private WalletTakeover Attacker => new(As(AttackerIndex));

    private async Task<BigInteger> BalanceAsync(string address) => (await As(OwnerIndex).Eth.GetBalance.SendRequestAsync(address)).Value;

    private async Task<BigInteger> NonceAsync(int index) => (await As(OwnerIndex).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(index))).Value;

    // ---- Setup helpers (provided): the owner deploys an implementation and a funded proxy over it. ----

    private async Task<string> DeployAsync(ContractArtifact artifact, BigInteger value, params object[] arguments)
    {
        var receipt = await As(OwnerIndex).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(artifact.Bytecode), AddressOf(OwnerIndex), new HexBigInteger(1_500_000), new HexBigInteger(value), Ct, arguments);
        receipt.Status.Value.Should().Be(BigInteger.One, $"{artifact.Name}'s constructor succeeds here");
        return receipt.ContractAddress;
    }

    /// <summary>An implementation of the given kind and a proxy over it holding 5 ETH, initialised in its constructor or not at all.</summary>
    private async Task<(string Implementation, string Proxy)> DeployWalletAsync(ContractArtifact implementationKind, bool initialiseAtDeploy)
    {
        var implementation = await DeployAsync(implementationKind, BigInteger.Zero);
        var initData = initialiseAtDeploy
            ? Convert.FromHexString(As(OwnerIndex).Eth.GetContract(implementationKind.Abi.GetRawText(), implementation).GetFunction("initialize").GetData(AddressOf(OwnerIndex))[2..])
            : [];
        var proxy = await DeployAsync(Proxy, BigInteger.Zero, implementation, initData);
        // Funded afterwards, through the proxy's receive(): a constructor's delegatecall carries msg.value, and
        // initialize() is not payable.
        var funding = await As(OwnerIndex).TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = AddressOf(OwnerIndex), To = proxy, Value = new HexBigInteger(5 * Ether), Gas = new HexBigInteger(100_000) }, Ct);
        funding.Status.Value.Should().Be(BigInteger.One, "the proxy delegates the payment to WalletLogic's receive(), which accepts it");
        return (implementation, proxy);
    }

    private Task<T> ViewAsync<T>(string wallet, string function) =>
        As(OwnerIndex).Eth.GetContract(Logic.Abi.GetRawText(), wallet).GetFunction(function).CallAsync<T>();

    private static BigInteger GasPaid(TransactionReceipt receipt) => receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value;

    // ---- Reconnaissance ----

    [Fact]
    public async Task The_implementation_behind_a_proxy_is_read_from_the_EIP_1967_slot_of_the_proxy()
    {
        var (implementation, proxy) = await DeployWalletAsync(Logic, initialiseAtDeploy: true);

        var found = await Attacker.ImplementationOfAsync(proxy, Ct);

        found.Should().Be(implementation.ToLowerInvariant(),
            $"EIP-1967 keeps the implementation's address in the proxy's storage at {Eip1967ImplementationSlot}, keccak256(\"eip1967.proxy.implementation\") - 1, as the low 20 bytes of the word");
        var word = await As(OwnerIndex).Eth.GetStorageAt.SendRequestAsync(proxy, new HexBigInteger(Eip1967ImplementationSlot), BlockParameter.CreateLatest());
        word.Should().EndWith(found[2..], "the same word, read with eth_getStorageAt at the slot the EIP gives");
    }

    [Fact]
    public async Task A_contract_that_is_not_a_proxy_has_no_implementation_to_find()
    {
        var (implementation, _) = await DeployWalletAsync(Logic, initialiseAtDeploy: true);

        var act = () => Attacker.ImplementationOfAsync(implementation, Ct);

        await act.Should().ThrowAsync<InvalidOperationException>(
            "WalletLogic is not a proxy: its EIP-1967 slot is empty, and an empty word is not the zero address of an implementation");
    }

    // ---- The attacks ----

    [Fact]
    public async Task A_proxy_nobody_initialised_is_owned_and_emptied_by_the_first_caller()
    {
        var (_, proxy) = await DeployWalletAsync(Logic, initialiseAtDeploy: false);
        var attacker = AddressOf(AttackerIndex);
        var subject = Attacker;

        var taken = await subject.TakeOwnershipAsync(proxy, Ct);

        taken.Status.Value.Should().Be(BigInteger.One);
        (await ViewAsync<string>(proxy, "owner")).Should().BeEquivalentTo(attacker,
            "initialize() ran by delegatecall against the proxy's storage, where nobody had set an owner: the first caller took it");

        var before = await BalanceAsync(attacker);
        var drained = await subject.DrainAsync(proxy, Ct);

        (await BalanceAsync(proxy)).Should().Be(BigInteger.Zero, "withdraw() as the new owner moves the whole balance");
        (await BalanceAsync(attacker)).Should().Be(before + (5 * Ether) - GasPaid(drained),
            "the 5 ETH land in the attacker's own account, minus the gas of the withdrawal, to the wei");
    }

    [Fact]
    public async Task An_implementation_nobody_initialised_is_owned_directly_like_the_Parity_library()
    {
        var (_, proxy) = await DeployWalletAsync(Logic, initialiseAtDeploy: true);
        var subject = Attacker;
        var implementation = await subject.ImplementationOfAsync(proxy, Ct);
        // Ether sent to the implementation's address by mistake (it happens: the address is public and has receive()).
        var mistake = await As(OwnerIndex).TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = AddressOf(OwnerIndex), To = implementation, Value = new HexBigInteger(Ether), Gas = new HexBigInteger(100_000) }, Ct);
        mistake.Status.Value.Should().Be(BigInteger.One);

        await subject.TakeOwnershipAsync(implementation, Ct);

        (await ViewAsync<string>(implementation, "owner")).Should().BeEquivalentTo(AddressOf(AttackerIndex),
            "the implementation is a contract with storage of its own, and nobody ever initialised that storage: in November 2017 this made a stranger the owner of the Parity wallet library, who then destroyed it");
        (await ViewAsync<string>(proxy, "owner")).Should().BeEquivalentTo(AddressOf(OwnerIndex),
            "the proxy's owner lives in the proxy's storage: owning the implementation's storage does not change it");

        var drained = await subject.DrainAsync(implementation, Ct);

        drained.Status.Value.Should().Be(BigInteger.One);
        (await BalanceAsync(implementation)).Should().Be(BigInteger.Zero, "the new owner of the implementation takes what was sent to it");
        (await BalanceAsync(proxy)).Should().Be(5 * Ether, "the proxy's balance is the proxy's: only its own owner can move it");
    }

    // ---- The fixes ----

    [Fact]
    public async Task A_proxy_initialised_in_the_transaction_that_deployed_it_refuses_the_takeover()
    {
        var (_, proxy) = await DeployWalletAsync(Logic, initialiseAtDeploy: true);

        var act = () => Attacker.TakeOwnershipAsync(proxy, Ct);

        await act.Should().ThrowAsync<TakeoverRefusedException>(
            "the constructor delegatecalled initialize(owner) in the deployment itself, so there was never a block in which the proxy had no owner; a second initialize() reverts with AlreadyInitialized()");
        (await ViewAsync<string>(proxy, "owner")).Should().BeEquivalentTo(AddressOf(OwnerIndex));
    }

    [Fact]
    public async Task An_implementation_whose_constructor_locked_its_initializer_refuses_the_takeover_while_its_proxies_still_initialise()
    {
        var (implementation, proxy) = await DeployWalletAsync(LockedLogic, initialiseAtDeploy: true);

        var act = () => Attacker.TakeOwnershipAsync(implementation, Ct);

        await act.Should().ThrowAsync<TakeoverRefusedException>(
            "LockedWalletLogic's constructor set initialized = true in the implementation's own storage (OpenZeppelin's _disableInitializers()), so initialize() on the implementation reverts");
        (await ViewAsync<string>(implementation, "owner")).Should().Be("0x0000000000000000000000000000000000000000", "nobody owns the implementation");
        (await ViewAsync<string>(proxy, "owner")).Should().BeEquivalentTo(AddressOf(OwnerIndex),
            "the constructor never ran against the proxy's storage, so the proxy was initialised normally");
    }

    [Fact]
    public async Task Draining_a_wallet_the_attacker_does_not_own_is_refused_and_nothing_moves()
    {
        var (_, proxy) = await DeployWalletAsync(Logic, initialiseAtDeploy: true);
        var attackerNonce = await NonceAsync(AttackerIndex);

        var act = () => Attacker.DrainAsync(proxy, Ct);

        await act.Should().ThrowAsync<TakeoverRefusedException>("withdraw() reverts with NotOwner(attacker); the refusal must surface, not a receipt with status 0 taken for a success");
        (await BalanceAsync(proxy)).Should().Be(5 * Ether);
        (await NonceAsync(AttackerIndex)).Should().Be(attackerNonce, "the refusal comes from the gas estimate: nothing was signed or mined");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task A_blank_address_is_refused_before_any_request(string blank)
    {
        var subject = Attacker;

        await subject.Invoking(s => s.ImplementationOfAsync(blank, Ct)).Should().ThrowAsync<ArgumentException>();
        await subject.Invoking(s => s.TakeOwnershipAsync(blank, Ct)).Should().ThrowAsync<ArgumentException>();
        await subject.Invoking(s => s.DrainAsync(blank, Ct)).Should().ThrowAsync<ArgumentException>();
    }
}
