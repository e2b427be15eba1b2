using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Koans.Ethereum.NethereumErrors;

/// <summary>Reverter's custom error <c>error InsufficientBalance(uint256 available, uint256 required)</c>.</summary>
[Error("InsufficientBalance")]
public class InsufficientBalanceError : IErrorDTO
{
    [Parameter("uint256", "available", 1)]
    public BigInteger Available { get; set; }

    [Parameter("uint256", "required", 2)]
    public BigInteger Required { get; set; }
}

/// <summary>The revert data of a failed compiler check, <c>Panic(uint256 code)</c>.</summary>
[Error("Panic")]
public class PanicError : IErrorDTO
{
    [Parameter("uint256", "code", 1)]
    public BigInteger Code { get; set; }
}

/// <summary>Reference solution for ethereum.nethereum-errors.</summary>
public static class Reverts
{
    public static RevertReason Decode(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            // Error(string): Nethereum decodes it itself.
            case SmartContractRevertException revert:
                return new ErrorMessage(revert.RevertMessage);

            // Everything else with revert data: Panic, custom errors, empty data. Match the selector before decoding:
            // DecodeError<T> of data with another selector would read someone else's words as our fields.
            case SmartContractCustomErrorRevertException custom:
                if (custom.IsCustomErrorFor<PanicError>())
                {
                    return new Panic(custom.DecodeError<PanicError>().Code);
                }

                if (custom.IsCustomErrorFor<InsufficientBalanceError>())
                {
                    return new KnownCustomError(custom.DecodeError<InsufficientBalanceError>());
                }

                return new UnknownRevert(Normalise(custom.ExceptionEncodedData));

            case RpcResponseException when IsBareRevert(exception):
                return new UnknownRevert("0x");

            default:
                throw new ArgumentException($"Not a revert: {exception.GetType().Name}: {exception.Message}", nameof(exception), exception);
        }
    }

    public static async Task<RevertReason?> WhyWouldItRevertAsync<TFunction>(Web3 web3, string contract, TFunction call, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(web3);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await web3.Eth.GetContractHandler(contract).EstimateGasAsync(call).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (IsRevert(e))
        {
            return Decode(e);
        }
    }

    public static async Task<TransactionReceipt> SendAsync<TFunction>(Web3 web3, string contract, TFunction call, BigInteger gasLimit, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(call);
        // With Gas set, the handler does not estimate: the transaction is mined whatever it does.
        call.Gas = gasLimit;
        var handler = web3.Eth.GetContractHandler(contract);
        var receipt = await handler.SendRequestAndWaitForReceiptAsync(call, cancellationToken).ConfigureAwait(false);
        if (receipt.Status?.Value == BigInteger.One)
        {
            return receipt;
        }

        // A receipt has no revert data. Replay the call as an eth_call on the state before this block, from the same
        // sender, to learn why (web3.Eth.GetContractTransactionErrorReason does the same for Error(string) only).
        var before = new BlockParameter(new HexBigInteger(receipt.BlockNumber.Value - 1));
        RevertReason reason;
        try
        {
            await handler.QueryRawAsync(call, before).ConfigureAwait(false);
            reason = new UnknownRevert("0x"); // it succeeds on the old state: the revert came from state changed in between
        }
        catch (Exception e) when (IsRevert(e))
        {
            reason = Decode(e);
        }

        throw new TransactionRevertedException(receipt, reason);
    }

    private static bool IsRevert(Exception e) =>
        e is SmartContractRevertException or SmartContractCustomErrorRevertException || IsBareRevert(e);

    // A revert whose error object carries no data at all (some nodes answer a bare revert() so). One test for Decode
    // and for the catch filters, so the two can never disagree on what a revert is.
    private static bool IsBareRevert(Exception e) =>
        e is RpcResponseException { RpcError: { Data: null, Message: { } message } }
        && message.Contains("revert", StringComparison.OrdinalIgnoreCase);

    // Never null here: the selector checks above already read the data.
    private static string Normalise(string data) =>
        ("0x" + (data.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? data[2..] : data)).ToLowerInvariant();
}
