using System.Globalization;
using System.Numerics;
using CsCheck;
using Koans.Testing;
using Nethereum.Model;
using Nethereum.Signer;

namespace Koans.Ethereum.Eip1559Tx;

/// <summary>
/// Nethereum (Nethereum.Signer's Transaction1559Signer) as a second, independent oracle. Nethereum signs type-2
/// transactions with RFC 6979 deterministic k and low s, so on 256 generated transactions and keys per property your
/// raw transaction must be byte-for-byte Nethereum's, and you must decode and recover the sender of Nethereum's. The
/// generator leans on the edges: zero fields (the empty RLP string), 2^256 - 1, contract creations (no to), empty
/// data and data of 55/56 bytes, empty access lists, entries without storage keys, and several entries with several
/// keys (nested lists). The tip never exceeds the fee cap (tip == cap included): this kata rejects such a transaction,
/// which EIP-1559 makes invalid, while Nethereum 6.1.0 signs it. A fixed PCG seed makes every failure reproduce.
/// </summary>
public sealed class Eip1559SignerNethereumOracleTests
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

    private static readonly Gen<AccessListEntry> AccessListEntries =
        Gen.Select(Gen.Byte.Array[20], Gen.Byte.Array[32].Array[0, 3], (address, keys) => new AccessListEntry(address, keys));

    private static readonly Gen<Eip1559Transaction> Transactions =
        from chainId in Gen.OneOf(Gen.OneOf(1UL, 137UL, 31337UL, 11155111UL), Gen.ULong[1, 1UL << 40])
        from nonce in Gen.OneOf(Gen.Const(BigInteger.Zero), Gen.ULong.Select(n => new BigInteger(n)))
        from maxFee in Quantities
        from tip in Gen.Frequency((1, Gen.Const(maxFee)), (3, Quantities.Select(q => q % (maxFee + 1))))
        from gasLimit in Gen.OneOf(Gen.Const(new BigInteger(21_000)), Gen.ULong[0, 30_000_000].Select(n => new BigInteger(n)))
        from to in Gen.Frequency((7, Gen.Byte.Array[20].Select(a => (byte[]?)a)), (1, Gen.Const((byte[]?)null)))
        from value in Quantities
        from data in Gen.OneOf(Gen.Const(() => Array.Empty<byte>()), Gen.Int[54, 57].SelectMany(n => Gen.Byte.Array[n]), Gen.Byte.Array[0, 200])
        from accessList in Gen.Frequency((2, Gen.Const(() => Array.Empty<AccessListEntry>())), (1, AccessListEntries.Array[1, 3]))
        select new Eip1559Transaction(chainId, nonce, tip, maxFee, gasLimit, to, value, data, accessList);

    private static readonly Gen<(Eip1559Transaction Transaction, byte[] Key)> SigningInputs = Gen.Select(Transactions, PrivateKeys);

    [Fact]
    public void Sign_gives_Nethereums_raw_transaction_on_generated_transactions_and_keys()
    {
        GeneratedCases.ForEach(SigningInputs, Describe, input =>
        {
            var yours = Eip1559Signer.Sign(input.Transaction, input.Key);
            Hex(yours).Should().Be(NethereumSign(input),
                "0x02 || rlp([fields..., yParity, r, s]) with RFC 6979 k and low s is deterministic: your raw transaction must equal Nethereum's");
        });
    }

    [Fact]
    public void RecoverSender_and_Decode_read_Nethereums_signed_transactions()
    {
        GeneratedCases.ForEach(SigningInputs, Describe, input =>
        {
            var raw = Convert.FromHexString(NethereumSign(input)[2..]);
            var sender = Eip1559Signer.RecoverSender(raw);
            sender.Should().Be(new EthECKey(input.Key, true).GetPublicAddress(), "Nethereum signed {0} with that key", Hex(raw));
            var decoded = Eip1559Signer.Decode(raw).Transaction;
            var t = input.Transaction;
            decoded.ChainId.Should().Be(t.ChainId);
            decoded.Nonce.Should().Be(t.Nonce);
            decoded.MaxPriorityFeePerGas.Should().Be(t.MaxPriorityFeePerGas);
            decoded.MaxFeePerGas.Should().Be(t.MaxFeePerGas);
            decoded.GasLimit.Should().Be(t.GasLimit);
            decoded.Value.Should().Be(t.Value);
            decoded.Data.Should().Equal(t.Data);
            (decoded.To is null ? "creation" : Hex(decoded.To)).Should().Be(t.To is null ? "creation" : Hex(t.To), "an empty to is a contract creation");
            DescribeAccessList(decoded.AccessList).Should().Be(DescribeAccessList(t.AccessList), "the access list is a list of [address, [keys...]]");
        });
    }

    private static string NethereumSign((Eip1559Transaction Transaction, byte[] Key) input)
    {
        var t = input.Transaction;
        var accessList = t.AccessList.Select(e => new AccessListItem(Hex(e.Address), e.StorageKeys.ToList())).ToList();
        var transaction = new Transaction1559(new BigInteger(t.ChainId), t.Nonce, t.MaxPriorityFeePerGas, t.MaxFeePerGas, t.GasLimit,
            t.To is null ? null : Hex(t.To), t.Value, Hex(t.Data), accessList);
        var raw = new Transaction1559Signer().SignTransaction(input.Key, transaction);
        return raw.StartsWith("0x", StringComparison.Ordinal) ? raw : "0x" + raw;
    }

    private static string DescribeAccessList(IEnumerable<AccessListEntry> accessList) =>
        "[" + string.Join(", ", accessList.Select(e => $"[{Hex(e.Address)}, [{string.Join(", ", e.StorageKeys.Select(Hex))}]]")) + "]";

    private static string Describe((Eip1559Transaction Transaction, byte[] Key) input)
    {
        var t = input.Transaction;
        return $"chainId {t.ChainId}, nonce {t.Nonce}, maxPriorityFeePerGas {t.MaxPriorityFeePerGas}, maxFeePerGas {t.MaxFeePerGas}, " +
               $"gasLimit {t.GasLimit}, to {(t.To is null ? "(creation)" : Hex(t.To))}, value {t.Value}, data {Hex(t.Data)}, " +
               $"accessList {DescribeAccessList(t.AccessList)}, key {Hex(input.Key)}";
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
