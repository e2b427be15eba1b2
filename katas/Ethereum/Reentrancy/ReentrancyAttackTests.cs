using System.Numerics;
using Koans.Testing.Chain;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.Reentrancy;

public class ReentrancyAttackTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/VaultReentrancy.sol: EtherVault (pays, then zeroes), CeiVault (zeroes, then pays),
    // GuardedVault (pays, then zeroes, under a transient-storage reentrancy guard) and the Reenterer.
    private static readonly ContractArtifact Vulnerable = ContractArtifact.Load("EtherVault");
    private static readonly ContractArtifact ReentererArtifact = ContractArtifact.Load("Reenterer");

    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    // Three victims (Anvil accounts 1-3) and an attacker (account 9); account 0 deploys the vaults.
    private static readonly int[] VictimIndexes = [1, 2, 3];
    private const int AttackerIndex = 9;

    // Snapshots isolate the tests: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Web3 As(int index) => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string AddressOf(int index) => new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index]).Address;

    private async Task<BigInteger> BalanceAsync(string address) => (await As(0).Eth.GetBalance.SendRequestAsync(address)).Value;

    // ---- Setup helpers (provided): deploy with the artifacts' ABI, deposit as the victims. ----

    private async Task<string> DeployAsync(ContractArtifact artifact, int deployer)
    {
        var receipt = await As(deployer).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(artifact.Bytecode), AddressOf(deployer), new HexBigInteger(1_500_000), Ct);
        receipt.Status.Value.Should().Be(BigInteger.One, $"{artifact.Name}'s constructor cannot fail");
        return receipt.ContractAddress;
    }

    private async Task DepositAsync(ContractArtifact vault, string address, int depositor, BigInteger amount)
    {
        var receipt = await As(depositor).Eth.GetContract(vault.Abi.GetRawText(), address).GetFunction("deposit")
            .SendTransactionAndWaitForReceiptAsync(AddressOf(depositor), new HexBigInteger(100_000), new HexBigInteger(amount), Ct);
        receipt.Status.Value.Should().Be(BigInteger.One, "a deposit cannot fail");
    }

    /// <summary>A vault of the given kind with the victims' deposits, and the attacker's Reenterer.</summary>
    private async Task<(string Vault, string Reenterer)> SetUpAsync(ContractArtifact vaultKind, params BigInteger[] deposits)
    {
        var vault = await DeployAsync(vaultKind, deployer: 0);
        for (var i = 0; i < deposits.Length; i++)
        {
            await DepositAsync(vaultKind, vault, VictimIndexes[i], deposits[i]);
        }

        return (vault, await DeployAsync(ReentererArtifact, AttackerIndex));
    }

    private ReentrancyAttack Attacker(string reenterer) => new(As(AttackerIndex), reenterer);

    private Task<T> ViewAsync<T>(ContractArtifact artifact, string address, string function, params object[] args) =>
        As(0).Eth.GetContract(artifact.Abi.GetRawText(), address).GetFunction(function).CallAsync<T>(args);

    private static BigInteger GasPaid(IEnumerable<TransactionReceipt> receipts) =>
        receipts.Aggregate(BigInteger.Zero, (sum, r) => sum + (r.GasUsed.Value * r.EffectiveGasPrice.Value));

    // ---- Planning (offline) ----

    public static TheoryData<string, string, int> Plans => new()
    {
        // vault balance (wei), stake (wei), re-entries
        { "10000000000000000000", "1000000000000000000", 10 },  // 10 ETH in stakes of 1 ETH: the stake pays for the first withdrawal, not for an 11th
        { "10500000000000000000", "1000000000000000000", 10 },  // 10.5 ETH: 0.5 ETH is less than a stake and stays
        { "3000000000000000000", "3000000000000000000", 1 },    // one stake's worth: one re-entry
        { "500000000000000000", "1000000000000000000", 0 },     // less than a stake: re-entering would make the vault's transfer fail
        { "0", "1", 0 },                                         // an empty vault
        { "50", "1", 50 },                                       // exactly at the limit
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void ReentriesFor_takes_every_whole_stake_and_never_counts_the_attackers_own_deposit_twice(string vaultBalance, string stake, int expected)
    {
        ReentrancyAttack.ReentriesFor(BigInteger.Parse(vaultBalance), BigInteger.Parse(stake)).Should().Be(expected,
            "after the deposit the vault holds vaultBalance + stake; the first withdrawal returns the stake and each re-entry takes one more stake of the victims' money, so one more than floor(vaultBalance / stake) would make the last transfer fail and revert everything");
    }

    [Theory]
    [InlineData("1", "0")]
    [InlineData("1", "-1")]
    [InlineData("-1", "1")]
    [InlineData("51", "1")]
    [InlineData("100000000000000000000", "1000000000000000000")]
    public void ReentriesFor_refuses_a_zero_stake_a_negative_balance_and_a_plan_deeper_than_the_limit(string vaultBalance, string stake)
    {
        var act = () => ReentrancyAttack.ReentriesFor(BigInteger.Parse(vaultBalance), BigInteger.Parse(stake));

        act.Should().Throw<ArgumentOutOfRangeException>(
            $"a stake must be positive, a balance cannot be negative, and more than {ReentrancyAttack.MaxReentries} nested re-entries do not fit one transaction: the attacker must stake more");
    }

    // ---- The attack on EtherVault ----

    [Fact]
    public async Task The_attack_drains_every_victims_deposit_from_the_vulnerable_vault()
    {
        var deposits = new[] { 3 * Ether, 4 * Ether, 3 * Ether };
        var (vault, reenterer) = await SetUpAsync(Vulnerable, deposits);

        var report = await Attacker(reenterer).DrainAsync(vault, Ether, Ct);

        (await BalanceAsync(vault)).Should().Be(BigInteger.Zero,
            "withdraw() paid before it zeroed the balance, so each payment to the Reenterer called withdraw() again and was paid the same stake again: 10 ETH of deposits in 10 re-entries");
        report.Stolen.Should().Be(10 * Ether, "everything the victims deposited left with the attacker, besides the attacker's own stake");
        report.Reentries.Should().Be(10);
        (await ViewAsync<BigInteger>(ReentererArtifact, reenterer, "reentries")).Should().Be(new BigInteger(10),
            "the Reenterer called back into withdraw() once per planned re-entry");
        for (var i = 0; i < deposits.Length; i++)
        {
            (await ViewAsync<BigInteger>(Vulnerable, vault, "balanceOf", AddressOf(VictimIndexes[i]))).Should().Be(deposits[i],
                "the books still say each victim owns their deposit: the vault owes 10 ETH it no longer has");
        }
    }

    [Fact]
    public async Task The_loot_reaches_the_attackers_own_account_to_the_wei()
    {
        var (vault, reenterer) = await SetUpAsync(Vulnerable, 2 * Ether, 2 * Ether);
        // The Reenterer already holds 1 ETH of its own (sent by account 0; unarmed, its receive() just accepts it).
        var gift = await As(0).TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = AddressOf(0), To = reenterer, Value = new HexBigInteger(Ether), Gas = new HexBigInteger(100_000) }, Ct);
        gift.Status.Value.Should().Be(BigInteger.One, "an unarmed Reenterer accepts ether");
        var attacker = AddressOf(AttackerIndex);
        var before = await BalanceAsync(attacker);

        var report = await Attacker(reenterer).DrainAsync(vault, Ether, Ct);

        report.Stolen.Should().Be(4 * Ether, "Stolen counts what the drain took from the vault, not the stake coming back nor the 1 ETH the Reenterer held before");
        (await BalanceAsync(reenterer)).Should().Be(BigInteger.Zero, "the sweep empties the Reenterer: ether left in a contract is not yet the attacker's");
        report.Transactions.Should().NotBeEmpty().And.OnlyContain(r => r.From.Equals(attacker, StringComparison.OrdinalIgnoreCase),
            "every step is signed by the attacker's account, which owns the Reenterer");
        (await BalanceAsync(attacker)).Should().Be(before + (4 * Ether) + Ether - GasPaid(report.Transactions),
            "the attacker gains the 4 ETH of deposits and the 1 ETH the Reenterer held, gets its stake back and pays gasUsed * effectiveGasPrice for each transaction in the report: every transaction sent must be in it");
    }

    [Fact]
    public async Task A_vault_that_is_not_a_whole_number_of_stakes_keeps_less_than_one_stake()
    {
        // 5.05 ETH in stakes of 0.1 ETH: 50 re-entries, the limit, in one transaction.
        var tenth = Ether / 10;
        var (vault, reenterer) = await SetUpAsync(Vulnerable, 2 * Ether, (3 * Ether) + (Ether / 20));

        var report = await Attacker(reenterer).DrainAsync(vault, tenth, Ct);

        report.Reentries.Should().Be(50, "50 whole stakes of 0.1 ETH fit in 5.05 ETH");
        report.Stolen.Should().Be(5 * Ether);
        (await BalanceAsync(vault)).Should().Be(Ether / 20,
            "the 0.05 ETH left is less than the stake each withdrawal pays: a 51st re-entry would have failed the vault's transfer and reverted the whole drain");
    }

    [Fact]
    public async Task A_zero_stake_is_refused_before_any_transaction()
    {
        var (vault, reenterer) = await SetUpAsync(Vulnerable, Ether);
        var nonce = await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex));

        var act = () => Attacker(reenterer).DrainAsync(vault, BigInteger.Zero, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("with nothing deposited, withdraw() has nothing to pay out, and nothing to re-enter from");
        (await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex))).Value.Should().Be(nonce.Value,
            "the argument is checked before the attacker's account sends (and pays for) anything");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_vault_address_is_refused_before_any_transaction(string vault)
    {
        var (_, reenterer) = await SetUpAsync(Vulnerable, Ether);
        var nonce = await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex));

        var act = () => Attacker(reenterer).DrainAsync(vault, Ether, Ct);

        await act.Should().ThrowAsync<ArgumentException>("a blank address is a bug in the caller, reported as one, not an error from the node");
        (await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex))).Value.Should().Be(nonce.Value);
    }

    [Fact]
    public async Task A_drain_deeper_than_the_limit_is_refused_before_any_transaction()
    {
        var (vault, reenterer) = await SetUpAsync(Vulnerable, 6 * Ether);
        var nonce = await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex));

        var act = () => Attacker(reenterer).DrainAsync(vault, Ether / 10, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>($"6 ETH in stakes of 0.1 ETH needs 60 re-entries, more than {ReentrancyAttack.MaxReentries}");
        (await As(0).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(AttackerIndex))).Value.Should().Be(nonce.Value,
            "the plan is made from the vault's balance before the first transaction: a deposit sent first would be a stake at risk for nothing");
        (await BalanceAsync(vault)).Should().Be(6 * Ether);
    }

    // ---- The same attack on the fixed vaults ----

    [Theory]
    [InlineData("CeiVault", "checks-effects-interactions: the balance is zero before the ether leaves, so the re-entered withdraw() reverts with NothingToWithdraw")]
    [InlineData("GuardedVault", "the reentrancy guard: a call back into withdraw() while it runs reverts with Reentered()")]
    public async Task The_same_attack_is_refused_by_the_fixed_vault_and_every_victim_is_paid_in_full(string fixedVault, string why)
    {
        var artifact = ContractArtifact.Load(fixedVault);
        var deposits = new[] { 3 * Ether, 4 * Ether, 3 * Ether };
        var (vault, reenterer) = await SetUpAsync(artifact, deposits);

        var act = () => Attacker(reenterer).DrainAsync(vault, Ether, Ct);

        await act.Should().ThrowAsync<AttackRevertedException>(
            $"{why}; the failed re-entry fails the vault's transfer, which reverts the whole withdrawal, and the driver must report the refusal instead of a drain that never happened");
        (await ViewAsync<BigInteger>(ReentererArtifact, reenterer, "reentries")).Should().Be(BigInteger.Zero,
            "the reverted withdrawal took its re-entry count with it");
        (await BalanceAsync(vault)).Should().BeGreaterThanOrEqualTo(10 * Ether, "no victim's ether left the vault");
        for (var i = 0; i < deposits.Length; i++)
        {
            var victim = AddressOf(VictimIndexes[i]);
            var before = await BalanceAsync(victim);
            var receipt = await As(VictimIndexes[i]).Eth.GetContract(artifact.Abi.GetRawText(), vault).GetFunction("withdraw")
                .SendTransactionAndWaitForReceiptAsync(victim, new HexBigInteger(100_000), null, Ct);
            receipt.Status.Value.Should().Be(BigInteger.One, "an honest withdrawal from the fixed vault works");
            (await BalanceAsync(victim)).Should().Be(before + deposits[i] - (receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value),
                "each victim gets their whole deposit back after the attack");
        }
    }
}
