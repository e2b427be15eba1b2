using System.Numerics;
using System.Text;
using Koans.Testing.Chain;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert and the mining mode are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.FrontRunning;

public class FrontRunnerTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/HashPuzzle.sol: HashPuzzle (first solve(answer) with keccak256(answer) == answerHash wins)
    // and CommitRevealPuzzle (commit(keccak256(abi.encode(answer, solver, salt))), reveal(answer, salt) a block later).
    private static readonly ContractArtifact Puzzle = ContractArtifact.Load("HashPuzzle");
    private static readonly ContractArtifact CommitReveal = ContractArtifact.Load("CommitRevealPuzzle");

    private const string Answer = "the koan of the pending pool";
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);
    private static readonly BigInteger Gwei = BigInteger.Pow(10, 9);

    // The victim's fees: a 2 gwei tip, at most 100 gwei in all.
    private static readonly BigInteger VictimTip = 2 * Gwei;
    private static readonly BigInteger VictimMaxFee = 100 * Gwei;

    // Account 0 deploys the puzzles, account 1 is the honest solver, account 9 the bot.
    private const int DeployerIndex = 0;
    private const int VictimIndex = 1;
    private const int BotIndex = 9;

    // Snapshots and evm_setAutomine: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Web3 As(int index) => new(new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index], AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private string AddressOf(int index) => new Nethereum.Web3.Accounts.Account(Chain.PrivateKeys[index]).Address;

    private FrontRunner Bot => new(As(BotIndex));

    private async Task<BigInteger> BalanceAsync(string address) => (await As(DeployerIndex).Eth.GetBalance.SendRequestAsync(address)).Value;

    private async Task<BigInteger> NonceAsync(int index) => (await As(DeployerIndex).Eth.Transactions.GetTransactionCount.SendRequestAsync(AddressOf(index), BlockParameter.CreatePending())).Value;

    /// <summary>
    /// A hang guard, not a time assertion: the bot's answer, or a named failure after 30 s instead of the runner's kata
    /// timeout. With automine off no receipt ever comes unless the test mines, so a bot that waits for one hangs.
    /// </summary>
    private static async Task<T> Guarded<T>(Task<T> bot)
    {
        try
        {
            return await bot.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("The bot had not answered after 30 s: is it waiting for a receipt? Nothing is mined until the test calls evm_mine; send the copy and return its hash.", e);
        }
    }

    // ---- The mining mode (provided): automine off inside a test, always back on after it. ----

    /// <summary>From now on sent transactions wait in the pool until <see cref="MineAsync"/>.</summary>
    private Task StopMiningAsync() => Chain.RpcAsync("evm_setAutomine", false);

    /// <summary>One block, with whatever the pool holds, highest tip first (Anvil's default transaction order, "fees").</summary>
    private Task MineAsync() => Chain.RpcAsync("evm_mine");

    public override async ValueTask DisposeAsync()
    {
        // evm_revert restores the chain's state but neither the mining mode nor the pool: empty the pool and mine on
        // every transaction again, so no other test sees this one's leftovers.
        if (Chain.UnavailableReason is null && Chain.SupportsCheats)
        {
            await Chain.RpcAsync("anvil_dropAllTransactions");
            await Chain.RpcAsync("evm_setAutomine", true);
        }

        await base.DisposeAsync();
    }

    // ---- Setup helpers (provided) ----

    private async Task<string> DeployAsync(ContractArtifact artifact, BigInteger prize)
    {
        var answerHash = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(Answer));
        var receipt = await As(DeployerIndex).Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            artifact.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(artifact.Bytecode), AddressOf(DeployerIndex), new HexBigInteger(1_500_000), new HexBigInteger(prize), Ct, answerHash);
        receipt.Status.Value.Should().Be(BigInteger.One, $"{artifact.Name}'s constructor cannot fail");
        return receipt.ContractAddress;
    }

    private static string Calldata(ContractArtifact artifact, string function, params object[] arguments) =>
        new Nethereum.Contracts.Contract(null, artifact.Abi.GetRawText(), null).GetFunction(function).GetData(arguments);

    /// <summary>Sends a call from <paramref name="index"/> with the victim's fees and a fixed gas limit, and returns its hash: mined now if automine is on, else left pending.</summary>
    private async Task<string> SendAsync(int index, string to, string data, BigInteger? tip = null) =>
        await As(index).TransactionManager.SendTransactionAsync(new TransactionInput
        {
            Type = new HexBigInteger(2),
            From = AddressOf(index),
            To = to,
            Data = data,
            Gas = new HexBigInteger(200_000),
            MaxPriorityFeePerGas = new HexBigInteger(tip ?? VictimTip),
            MaxFeePerGas = new HexBigInteger(VictimMaxFee),
        });

    private async Task<TransactionReceipt> ReceiptAsync(string hash) =>
        await As(DeployerIndex).Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash)
        ?? throw new InvalidOperationException($"Transaction {hash} is not mined: is it still in the pool?");

    private async Task<string> WinnerAsync(ContractArtifact artifact, string puzzle) =>
        await As(DeployerIndex).Eth.GetContract(artifact.Abi.GetRawText(), puzzle).GetFunction("winner").CallAsync<string>();

    private async Task<Transaction> TransactionAsync(string hash) =>
        await As(DeployerIndex).Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash);

    private static byte[] Salt(byte fill) => Enumerable.Repeat(fill, 32).ToArray();

    // ---- Reading the pool ----

    [Fact]
    public async Task FindPendingSolution_decodes_the_victims_pending_solve_and_ignores_other_traffic()
    {
        var puzzle = await DeployAsync(Puzzle, 5 * Ether);
        var decoy = await DeployAsync(Puzzle, Ether);
        await StopMiningAsync();
        // Other traffic in the pool: a plain transfer to the puzzle's deployer, a solve sent to another puzzle.
        await SendAsync(2, AddressOf(DeployerIndex), "0x", 10 * Gwei);
        await SendAsync(3, decoy, Calldata(Puzzle, "solve", "not the answer"), 9 * Gwei);
        var victim = await SendAsync(VictimIndex, puzzle, Calldata(Puzzle, "solve", Answer));

        var found = await Guarded(Bot.FindPendingSolutionAsync(puzzle, Ct));

        found.Should().NotBeNull("the victim's solve(string) is waiting in the pool: the pending block lists it, with its calldata, for anyone to read");
        found!.TransactionHash.Should().BeEquivalentTo(victim);
        found.From.Should().BeEquivalentTo(AddressOf(VictimIndex));
        found.Answer.Should().Be(Answer, "the answer is the ABI-encoded string argument of solve(string)");
        found.Calldata.Should().Equal(Calldata(Puzzle, "solve", Answer).HexToByteArray(), "the calldata is the pending transaction's input, byte for byte");
        found.MaxPriorityFeePerGas.Should().Be(VictimTip, "the victim offered a 2 gwei tip");
        found.MaxFeePerGas.Should().Be(VictimMaxFee);
        (await TransactionAsync(victim)).BlockNumber.Should().BeNull("nothing was mined: the bot read the pool, not the chain");
    }

    [Fact]
    public async Task FindPendingSolution_is_null_when_no_solution_is_pending()
    {
        var puzzle = await DeployAsync(Puzzle, 5 * Ether);
        await StopMiningAsync();
        await SendAsync(2, AddressOf(DeployerIndex), "0x");
        // A call to the puzzle that is no solution: winner() as a transaction.
        await SendAsync(3, puzzle, Calldata(Puzzle, "winner"));

        var found = await Guarded(Bot.FindPendingSolutionAsync(puzzle, Ct));

        found.Should().BeNull("neither a transfer to someone else nor a call of winner() carries an answer to copy");
    }

    // ---- The attack on HashPuzzle ----

    [Fact]
    public async Task The_bot_is_mined_before_the_victim_and_takes_the_prize()
    {
        var puzzle = await DeployAsync(Puzzle, 5 * Ether);
        await StopMiningAsync();
        var victim = await SendAsync(VictimIndex, puzzle, Calldata(Puzzle, "solve", Answer));
        var botBefore = await BalanceAsync(AddressOf(BotIndex));

        var found = await Guarded(Bot.FindPendingSolutionAsync(puzzle, Ct));
        var copy = await Guarded(Bot.OutbidAsync(puzzle, found!, Ct));

        (await TransactionAsync(copy)).BlockNumber.Should().BeNull("OutbidAsync sends and returns: with automine off nothing is mined until the next block");
        await MineAsync();
        var copyReceipt = await ReceiptAsync(copy);
        var victimReceipt = await ReceiptAsync(victim);
        copyReceipt.BlockNumber.Value.Should().Be(victimReceipt.BlockNumber.Value, "both waited for the same block");
        copyReceipt.TransactionIndex.Value.Should().BeLessThan(victimReceipt.TransactionIndex.Value,
            "the builder orders a block by tip, highest first: the copy must offer more than the victim's 2 gwei (the same tip is not enough)");
        copyReceipt.Status.Value.Should().Be(BigInteger.One, "the copy ran first and solved the puzzle");
        victimReceipt.Status.Value.Should().Be(BigInteger.Zero, "the victim's solve ran second and reverted with AlreadySolved: it paid gas for nothing");
        (await WinnerAsync(Puzzle, puzzle)).Should().BeEquivalentTo(AddressOf(BotIndex));
        (await BalanceAsync(AddressOf(BotIndex))).Should().Be(botBefore + (5 * Ether) - (copyReceipt.GasUsed.Value * copyReceipt.EffectiveGasPrice.Value),
            "the bot took the 5 ETH prize and paid its own gas at its higher price");
    }

    [Fact]
    public async Task The_copy_offers_more_than_the_victim_and_keeps_within_a_max_fee_that_covers_it()
    {
        var puzzle = await DeployAsync(Puzzle, Ether);
        await StopMiningAsync();
        await SendAsync(VictimIndex, puzzle, Calldata(Puzzle, "solve", Answer));

        var found = await Guarded(Bot.FindPendingSolutionAsync(puzzle, Ct));

        var copy = await TransactionAsync(await Guarded(Bot.OutbidAsync(puzzle, found!, Ct)));

        copy.Type.Value.Should().Be(new BigInteger(2), "an EIP-1559 transaction, whose tip the builder sorts by");
        copy.From.Should().BeEquivalentTo(AddressOf(BotIndex), "the bot signs the copy: msg.sender is who gets the prize");
        copy.Input.Should().BeEquivalentTo(Calldata(Puzzle, "solve", Answer), "the copy carries the victim's answer, byte for byte");
        copy.MaxPriorityFeePerGas.Value.Should().BeGreaterThan(VictimTip, "a tip strictly above the victim's");
        (copy.MaxFeePerGas.Value - copy.MaxPriorityFeePerGas.Value).Should().Be(VictimMaxFee - VictimTip,
            "the max fee rises by exactly the extra tip: the same room for the base fee as the victim allowed for, on top of the whole tip, and not a wei more at risk");
        copy.Gas.Value.Should().BeGreaterThan(new BigInteger(21_000), "a call with calldata needs more than a transfer's 21000 gas: estimate it");
    }

    [Fact]
    public async Task OutbidAsync_refuses_a_missing_victim_and_a_blank_puzzle_before_sending_anything()
    {
        var puzzle = await DeployAsync(Puzzle, Ether);
        var nonce = await NonceAsync(BotIndex);
        var victim = new PendingSolution("0x" + new string('0', 64), AddressOf(VictimIndex), Answer, Calldata(Puzzle, "solve", Answer).HexToByteArray(), VictimTip, VictimMaxFee);

        var noVictim = () => Guarded(Bot.OutbidAsync(puzzle, null!, Ct));
        var blank = () => Guarded(Bot.OutbidAsync(" ", victim, Ct));

        await noVictim.Should().ThrowAsync<ArgumentNullException>("with nothing to copy there is nothing to send");
        await blank.Should().ThrowAsync<ArgumentException>("a blank address is a bug in the caller, reported as one");
        (await NonceAsync(BotIndex)).Should().Be(nonce, "nothing was signed or sent");
    }

    // ---- The fix: commit-reveal ----

    [Fact]
    public async Task Commitment_is_the_abi_encoding_the_contract_hashes_and_binds_the_solver()
    {
        var puzzle = await DeployAsync(CommitReveal, Ether);
        var contract = As(DeployerIndex).Eth.GetContract(CommitReveal.Abi.GetRawText(), puzzle).GetFunction("commitmentOf");

        var victims = FrontRunner.Commitment(Answer, AddressOf(VictimIndex), Salt(7));
        var bots = FrontRunner.Commitment(Answer, AddressOf(BotIndex), Salt(7));

        victims.Should().Equal(await contract.CallAsync<byte[]>(Answer, AddressOf(VictimIndex), Salt(7)),
            "CommitRevealPuzzle.commitmentOf is keccak256(abi.encode(answer, solver, salt)): the string's offset, the address, the salt, then the string's length and bytes (not abi.encodePacked)");
        bots.Should().NotEqual(victims, "the solver's address is in the commitment: the same answer and salt commit differently for the bot");
        FrontRunner.Commitment(Answer, AddressOf(VictimIndex), Salt(8)).Should().NotEqual(victims, "the salt is in it: without one, anyone could hash likely answers and compare");
    }

    [Fact]
    public void Commitment_refuses_a_salt_that_is_not_32_bytes_and_a_missing_answer_or_salt()
    {
        const string solver = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

        var shortSalt = () => FrontRunner.Commitment(Answer, solver, new byte[31]);
        var noAnswer = () => FrontRunner.Commitment(null!, solver, Salt(1));
        var noSalt = () => FrontRunner.Commitment(Answer, solver, null!);

        shortSalt.Should().Throw<ArgumentException>("the salt is a bytes32: 31 bytes would be padded on chain into a different salt than the one you keep");
        noAnswer.Should().Throw<ArgumentNullException>("a missing answer is the caller's bug, reported as one");
        noSalt.Should().Throw<ArgumentNullException>("a commitment without a salt hides nothing");
    }

    [Fact]
    public async Task The_copied_reveal_is_refused_and_the_honest_solver_wins()
    {
        var puzzle = await DeployAsync(CommitReveal, 5 * Ether);
        var salt = Salt(42);
        var commit = await ReceiptAsync(await SendAsync(VictimIndex, puzzle, Calldata(CommitReveal, "commit", FrontRunner.Commitment(Answer, AddressOf(VictimIndex), salt))));
        commit.Status.Value.Should().Be(BigInteger.One, "the commitment is mined, one block before the reveal");
        await StopMiningAsync();
        var reveal = await SendAsync(VictimIndex, puzzle, Calldata(CommitReveal, "reveal", Answer, salt));
        var botNonce = await NonceAsync(BotIndex);

        var found = await Guarded(Bot.FindPendingSolutionAsync(puzzle, Ct));
        found.Should().NotBeNull("the victim's reveal(string,bytes32) is in the pool, answer and salt in the clear");
        found!.Answer.Should().Be(Answer, "the answer is the first argument of reveal(string,bytes32) too");
        var copy = () => Guarded(Bot.OutbidAsync(puzzle, found, Ct));

        await copy.Should().ThrowAsync<FrontRunRefusedException>(
            "the bot never committed: its copy of the reveal reverts with NotCommitted at the gas estimate, and a bot must report that rather than pay for a revert");
        (await NonceAsync(BotIndex)).Should().Be(botNonce, "the refused copy was never sent");
        await MineAsync();
        (await ReceiptAsync(reveal)).Status.Value.Should().Be(BigInteger.One, "the honest reveal matches its commitment from an earlier block");
        (await WinnerAsync(CommitReveal, puzzle)).Should().BeEquivalentTo(AddressOf(VictimIndex));
    }

    [Fact]
    public async Task A_copied_commitment_and_a_reveal_in_the_commits_block_are_refused()
    {
        var puzzle = await DeployAsync(CommitReveal, 5 * Ether);
        var salt = Salt(42);
        var victimsCommitment = FrontRunner.Commitment(Answer, AddressOf(VictimIndex), salt);
        await StopMiningAsync();
        // The bot copies the victim's commitment bytes and, in the same block, tries to reveal its own honest commitment too early.
        var copiedCommit = await SendAsync(BotIndex, puzzle, Calldata(CommitReveal, "commit", victimsCommitment), 5 * Gwei);
        var earlyCommit = await SendAsync(2, puzzle, Calldata(CommitReveal, "commit", FrontRunner.Commitment(Answer, AddressOf(2), salt)), 4 * Gwei);
        var earlyReveal = await SendAsync(2, puzzle, Calldata(CommitReveal, "reveal", Answer, salt), 4 * Gwei);
        await MineAsync();
        (await ReceiptAsync(copiedCommit)).Status.Value.Should().Be(BigInteger.One, "anyone may commit any bytes");
        (await ReceiptAsync(earlyCommit)).Status.Value.Should().Be(BigInteger.One);
        (await ReceiptAsync(earlyReveal)).Status.Value.Should().Be(BigInteger.Zero,
            "RevealTooEarly: a reveal in the commit's own block would let a bot that sees a reveal commit and reveal in the same block");
        var copiedReveal = await SendAsync(BotIndex, puzzle, Calldata(CommitReveal, "reveal", Answer, salt), 5 * Gwei);
        await MineAsync();

        (await ReceiptAsync(copiedReveal)).Status.Value.Should().Be(BigInteger.Zero,
            "CommitmentMismatch: the copied commitment hashes the victim's address, and the bot's reveal is checked against its own");
        (await WinnerAsync(CommitReveal, puzzle)).Should().Be("0x0000000000000000000000000000000000000000", "nobody has won yet");
    }
}
