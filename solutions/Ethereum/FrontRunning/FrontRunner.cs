using System.Numerics;
using Nethereum.ABI;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Koans.Ethereum.FrontRunning;

/// <summary>Reference solution for ethereum.front-running.</summary>
/// <remarks>A bot, not a library: no ConfigureAwait(false), there is no caller's context to avoid.</remarks>
public sealed class FrontRunner(IWeb3 web3)
{
    public IWeb3 Web3 { get; } = web3;

    public async Task<PendingSolution?> FindPendingSolutionAsync(string puzzle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(puzzle);
        // The "pending" block is the node's view of what it would mine next: every transaction in its pool, with its
        // calldata and fees, readable by anyone. (txpool_content gives the same, grouped by sender and nonce.)
        var pending = await Web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(BlockParameter.CreatePending());
        foreach (var transaction in pending?.Transactions ?? [])
        {
            if (!puzzle.IsTheSameAddress(transaction.To))
            {
                continue;
            }

            string answer;
            if (transaction.IsTransactionForFunctionMessage<SolveFunction>())
            {
                answer = new SolveFunction().DecodeTransaction(transaction).Answer;
            }
            else if (transaction.IsTransactionForFunctionMessage<RevealFunction>())
            {
                answer = new RevealFunction().DecodeTransaction(transaction).Answer;
            }
            else
            {
                continue;
            }

            return new PendingSolution(transaction.TransactionHash, transaction.From, answer, transaction.Input.HexToByteArray(),
                transaction.MaxPriorityFeePerGas?.Value ?? BigInteger.Zero, transaction.MaxFeePerGas?.Value ?? BigInteger.Zero);
        }

        return null;
    }

    public async Task<string> OutbidAsync(string puzzle, PendingSolution victim, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(puzzle);
        ArgumentNullException.ThrowIfNull(victim);

        // The builder orders by tip: 1 gwei more than the victim's, and the max fee raised by the same, so the whole tip
        // is still payable on top of the base fee the victim allowed for.
        var tip = victim.MaxPriorityFeePerGas + OneGwei;
        var input = new TransactionInput
        {
            Type = new HexBigInteger(2),
            From = Web3.TransactionManager.Account.Address,
            To = puzzle,
            Data = victim.Calldata.ToHex(prefix: true),
            MaxPriorityFeePerGas = new HexBigInteger(tip),
            MaxFeePerGas = new HexBigInteger(victim.MaxFeePerGas + (tip - victim.MaxPriorityFeePerGas)),
        };
        try
        {
            // Estimate against "latest", where the victim's transaction is not mined yet. Left to itself, Anvil
            // estimates against the pending block, which already holds the victim's solve: the copy would "revert"
            // with AlreadySolved there. A copy that reverts at latest too (a reveal without a commitment) is refused
            // before anything is signed. Set the gas explicitly: calldata needs more than a transfer's 21000.
            input.Gas = await Web3.Client.SendRequestAsync<HexBigInteger>("eth_estimateGas", null, input, BlockParameter.CreateLatest());
            // Sent, not waited for: nothing is mined until the next block, and the bot's whole point is to be in it.
            return await Web3.TransactionManager.SendTransactionAsync(input);
        }
        catch (Exception e) when (e is SmartContractRevertException or SmartContractCustomErrorRevertException or RpcResponseException)
        {
            throw new FrontRunRefusedException($"The node refused the copy of {victim.TransactionHash}: {e.Message}", e);
        }
    }

    public static byte[] Commitment(string answer, string solver, byte[] salt)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(salt);
        if (salt.Length != 32)
        {
            throw new ArgumentException($"The salt is a bytes32: 32 bytes, not {salt.Length}.", nameof(salt));
        }

        // abi.encode, not abi.encodePacked: packed encoding of a dynamic string next to other values is ambiguous.
        var encoded = new ABIEncode().GetABIEncoded(new ABIValue("string", answer), new ABIValue("address", solver), new ABIValue("bytes32", salt));
        return Sha3Keccack.Current.CalculateHash(encoded);
    }

    private static readonly BigInteger OneGwei = BigInteger.Pow(10, 9);

    [Function("solve")]
    private sealed class SolveFunction : FunctionMessage
    {
        [Parameter("string", "answer", 1)]
        public string Answer { get; set; } = "";
    }

    [Function("reveal")]
    private sealed class RevealFunction : FunctionMessage
    {
        [Parameter("string", "answer", 1)]
        public string Answer { get; set; } = "";

        [Parameter("bytes32", "salt", 2)]
        public byte[] Salt { get; set; } = [];
    }
}
