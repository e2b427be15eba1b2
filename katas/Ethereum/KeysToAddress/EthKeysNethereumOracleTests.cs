using System.Numerics;
using CsCheck;
using Koans.Testing;
using Nethereum.Signer;

namespace Koans.Ethereum.KeysToAddress;

/// <summary>
/// Nethereum (Nethereum.Signer's EthECKey) as a second, independent oracle. The fixed vectors in EthKeysTests are
/// Anvil's published accounts; these compare your key derivation with the library C# wallets ship, on 256 generated
/// private keys per property, including the smallest (1, 2) and largest (n - 1, n - 2) keys and keys with leading
/// zero bytes. A fixed PCG seed makes every failure reproduce.
/// </summary>
public sealed class EthKeysNethereumOracleTests
{
    private static readonly BigInteger CurveOrder =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    private static readonly Gen<byte[]> PrivateKeys = Gen.OneOf(
        Gen.OneOf(BigInteger.One, new BigInteger(2), CurveOrder - 1, CurveOrder - 2).Select(ToKey),
        // Leading zero bytes: the key is still 32 bytes, and X or Y may start with zeros too.
        Gen.Byte.Array[1, 31].Select(bytes => ToKey(new BigInteger(bytes, isUnsigned: true, isBigEndian: true))),
        Gen.Byte.Array[32]).Where(key =>
        {
            var d = new BigInteger(key, isUnsigned: true, isBigEndian: true);
            return d > 0 && d < CurveOrder;
        });

    [Fact]
    public void PublicKeyFromPrivateKey_matches_Nethereum_on_generated_keys()
    {
        GeneratedCases.ForEach(PrivateKeys, Hex, key =>
        {
            var yours = EthKeys.PublicKeyFromPrivateKey(key);
            yours.Should().Equal([0x04, .. new EthECKey(key, true).GetPubKeyNoPrefix()],
                "the uncompressed public key of private key {0} is 0x04 || X || Y, each 32 bytes with leading zeros kept, as Nethereum's EthECKey gives", Hex(key));
        });
    }

    [Fact]
    public void AddressFromPrivateKey_and_AddressFromPublicKey_match_Nethereum_on_generated_keys()
    {
        GeneratedCases.ForEach(PrivateKeys, Hex, key =>
        {
            var yours = EthKeys.AddressFromPrivateKey(Hex(key));
            var nethereumKey = new EthECKey(key, true);
            var expected = nethereumKey.GetPublicAddress();
            yours.Should().Be(expected, "the EIP-55 address of private key {0} must match Nethereum's EthECKey.GetPublicAddress()", Hex(key));
            ("0x" + Convert.ToHexStringLower(EthKeys.AddressFromPublicKey(nethereumKey.GetPubKeyNoPrefix()))).Should()
                .Be(expected.ToLowerInvariant(), "the address of the bare 64-byte public key X || Y is the same 20 bytes");
        });
    }

    private static byte[] ToKey(BigInteger d)
    {
        var key = new byte[32];
        d.TryWriteBytes(key.AsSpan(32 - d.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return key;
    }

    private static string Hex(byte[] key) => "0x" + Convert.ToHexStringLower(key);
}
