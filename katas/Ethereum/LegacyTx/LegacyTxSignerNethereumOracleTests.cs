using System.Globalization;
using System.Numerics;
using CsCheck;
using Koans.Testing;
using Nethereum.Model;
using Nethereum.Signer;

namespace Koans.Ethereum.LegacyTx;

/// <summary>
/// Nethereum (Nethereum.Signer's LegacyTransactionSigner) as a second, independent oracle. Nethereum signs EIP-155
/// transactions with RFC 6979 deterministic k and low s, so on 256 generated transactions and keys per property
/// your raw transaction must be byte-for-byte Nethereum's, and you must recover the sender of Nethereum's. The
/// generator leans on the edges: zero nonce, value and gas (the empty RLP string), 2^256 - 1, empty data and data of
/// 55/56 bytes, contract creations (no to), chain ids 1, 31337 and above 2^32 (v over 4 bytes). A fixed PCG seed
/// makes every failure reproduce.
/// </summary>
public sealed class LegacyTxSignerNethereumOracleTests
{
    private static readonly BigInteger CurveOrder =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);

    private static readonly Gen<byte[]> PrivateKeys = Gen.Byte.Array[32].Where(key =>
    {
        var d = new BigInteger(key, isUnsigned: true, isBigEndian: true);
        return d > 0 && d < CurveOrder;
    });

    private static readonly Gen<BigInteger> Quantities = Gen.OneOf(
        Gen.OneOf(BigInteger.Zero, BigInteger.One, new BigInteger(0x7f), new BigInteger(0x80), BigInteger.Pow(2, 256) - 1),
        Gen.ULong.Select(value => new BigInteger(value)),
        Gen.Byte.Array[1, 32].Select(bytes => new BigInteger(bytes, isUnsigned: true, isBigEndian: true)));

    private static readonly Gen<LegacyTransaction> Transactions =
        from nonce in Gen.OneOf(Gen.Const(BigInteger.Zero), Gen.ULong[0, 1000].Select(n => new BigInteger(n)), Gen.ULong.Select(n => new BigInteger(n)))
        from gasPrice in Quantities
        from gasLimit in Gen.OneOf(Gen.Const(new BigInteger(21_000)), Gen.ULong[0, 30_000_000].Select(n => new BigInteger(n)))
        from to in Gen.Frequency((7, Gen.Byte.Array[20].Select(a => (byte[]?)a)), (1, Gen.Const((byte[]?)null)))
        from value in Quantities
        from data in Gen.OneOf(Gen.Const(() => Array.Empty<byte>()), Gen.Int[54, 57].SelectMany(n => Gen.Byte.Array[n]), Gen.Byte.Array[0, 200])
        select new LegacyTransaction(nonce, gasPrice, gasLimit, to, value, data);

    private static readonly Gen<ulong> ChainIds = Gen.OneOf(Gen.OneOf(1UL, 5UL, 137UL, 31337UL, 11155111UL, (1UL << 32) + 7), Gen.ULong[1, 1UL << 40]);

    private static readonly Gen<(LegacyTransaction Transaction, ulong ChainId, byte[] Key)> SigningInputs = Gen.Select(Transactions, ChainIds, PrivateKeys);

    [Fact]
    public void Sign_gives_Nethereums_raw_transaction_on_generated_transactions_chain_ids_and_keys()
    {
        GeneratedCases.ForEach(SigningInputs, Describe, input =>
        {
            var yours = LegacyTxSigner.Sign(input.Transaction, input.ChainId, input.Key);
            Hex(yours).Should().Be(NethereumSign(input),
                "EIP-155 signing with RFC 6979 k and low s is deterministic: your raw transaction must equal Nethereum's");
        });
    }

    [Fact]
    public void RecoverSender_and_Decode_read_Nethereums_signed_transactions()
    {
        GeneratedCases.ForEach(SigningInputs, Describe, input =>
        {
            var raw = Convert.FromHexString(NethereumSign(input)[2..]);
            var sender = LegacyTxSigner.RecoverSender(raw, input.ChainId);
            sender.Should().Be(new EthECKey(input.Key, true).GetPublicAddress(), "Nethereum signed {0} with that key", Hex(raw));
            var decoded = LegacyTxSigner.Decode(raw);
            decoded.Transaction.Nonce.Should().Be(input.Transaction.Nonce);
            decoded.Transaction.GasPrice.Should().Be(input.Transaction.GasPrice);
            decoded.Transaction.GasLimit.Should().Be(input.Transaction.GasLimit);
            decoded.Transaction.Value.Should().Be(input.Transaction.Value);
            decoded.Transaction.Data.Should().Equal(input.Transaction.Data);
            (decoded.Transaction.To is null ? "creation" : Hex(decoded.Transaction.To)).Should()
                .Be(input.Transaction.To is null ? "creation" : Hex(input.Transaction.To), "an empty to is a contract creation");
            decoded.V.Should().BeOneOf([new BigInteger(input.ChainId) * 2 + 35, new BigInteger(input.ChainId) * 2 + 36], "EIP-155: v = chainId * 2 + 35 + recovery id");
        });
    }

    private static string NethereumSign((LegacyTransaction Transaction, ulong ChainId, byte[] Key) input)
    {
        var t = input.Transaction;
        var transaction = new LegacyTransactionChainId(
            t.To is null ? null : Hex(t.To), t.Value, t.Nonce, t.GasPrice, t.GasLimit, Hex(t.Data), new BigInteger(input.ChainId));
        var raw = new LegacyTransactionSigner().SignTransaction(input.Key, transaction);
        return raw.StartsWith("0x", StringComparison.Ordinal) ? raw : "0x" + raw;
    }

    private static string Describe((LegacyTransaction Transaction, ulong ChainId, byte[] Key) input)
    {
        var t = input.Transaction;
        return $"nonce {t.Nonce}, gasPrice {t.GasPrice}, gasLimit {t.GasLimit}, to {(t.To is null ? "(creation)" : Hex(t.To))}, " +
               $"value {t.Value}, data {Hex(t.Data)}, chainId {input.ChainId}, key {Hex(input.Key)}";
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
