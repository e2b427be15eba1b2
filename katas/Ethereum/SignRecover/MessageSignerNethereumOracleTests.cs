using System.Globalization;
using System.Numerics;
using System.Text;
using CsCheck;
using Koans.Testing;
using Nethereum.Signer;
using NethereumMessageSigner = Nethereum.Signer.MessageSigner;

namespace Koans.Ethereum.SignRecover;

/// <summary>
/// Nethereum (Nethereum.Signer) as a second, independent oracle. Nethereum signs with RFC 6979 deterministic k
/// (HMAC-SHA256) and canonical low s, as this kata asks, so on 256 generated keys and hashes per property your
/// signatures must be byte-for-byte Nethereum's. Its recovery accepts the high-s twin of a signature (plain ECDSA
/// does); EIP-2 says you must not, and the last property checks that on every generated case. A fixed PCG seed makes
/// every failure reproduce.
/// </summary>
public sealed class MessageSignerNethereumOracleTests
{
    private static readonly BigInteger CurveOrder =
        BigInteger.Parse("0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber);

    private static readonly Gen<byte[]> PrivateKeys = Gen.Byte.Array[32].Where(key =>
    {
        var d = new BigInteger(key, isUnsigned: true, isBigEndian: true);
        return d > 0 && d < CurveOrder;
    });

    // The prefix holds the decimal byte length: 9 -> 10 and 99 -> 100 bytes change its width.
    private static readonly Gen<byte[]> Messages = Gen.OneOf(
        Gen.Byte.Array[0, 120],
        Gen.OneOf(0, 1, 9, 10, 99, 100).SelectMany(length => Gen.Byte.Array[length]));

    private static readonly Gen<string> TextMessages = Gen.OneOf(
        Gen.String[Gen.Char[' ', '~'], 0, 80],
        Gen.OneOf("", "héllo wörld", "🦄 unicorns", "日本語のメッセージ", "line one\nline two", "\u0019Ethereum Signed Message:\n5hello"));

    private static readonly Gen<(byte[] Hash, byte[] Key)> HashesAndKeys = Gen.Select(Gen.Byte.Array[32], PrivateKeys);

    [Fact]
    public void HashPersonalMessage_matches_Nethereum_on_generated_messages()
    {
        GeneratedCases.ForEach(Messages, Hex, message =>
        {
            var yours = MessageSigner.HashPersonalMessage(message);
            yours.Should().Equal(new EthereumMessageSigner().HashPrefixedMessage(message),
                "the EIP-191 hash of the {0}-byte message {1} must match Nethereum's HashPrefixedMessage", message.Length, Hex(message));
        });
    }

    [Fact]
    public void SignHash_gives_Nethereums_RFC_6979_low_s_signature_on_generated_hashes_and_keys()
    {
        GeneratedCases.ForEach(HashesAndKeys, input => $"hash {Hex(input.Hash)}, key {Hex(input.Key)}", input =>
        {
            var yours = MessageSigner.SignHash(input.Hash, input.Key);
            var s = new BigInteger(yours.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            s.Should().BeLessThanOrEqualTo(CurveOrder / 2, "EIP-2: s must be in the lower half of the curve order (yours: {0})", Hex(yours));
            Hex(yours).Should().Be(new NethereumMessageSigner().Sign(input.Hash, new EthECKey(input.Key, true)),
                "RFC 6979 makes k, and so r, s and v, a function of the key and hash alone: yours must equal Nethereum's");
        });
    }

    [Fact]
    public void SignPersonalMessage_matches_Nethereum_on_generated_text()
    {
        GeneratedCases.ForEach(Gen.Select(TextMessages, PrivateKeys),
            input => $"message \"{input.Item1}\" (UTF-8 {Hex(Encoding.UTF8.GetBytes(input.Item1))}), key {Hex(input.Item2)}", input =>
        {
            var yours = MessageSigner.SignPersonalMessage(input.Item1, Hex(input.Item2));
            yours.Should().Be(new EthereumMessageSigner().EncodeUTF8AndSign(input.Item1, new EthECKey(input.Item2, true)),
                "personal_sign of the UTF-8 message must match Nethereum's EthereumMessageSigner.EncodeUTF8AndSign");
        });
    }

    [Fact]
    public void RecoverAddress_finds_Nethereums_signer_and_rejects_the_high_s_twin_Nethereum_would_accept()
    {
        GeneratedCases.ForEach(HashesAndKeys, input => $"hash {Hex(input.Hash)}, key {Hex(input.Key)}", input =>
        {
            var key = new EthECKey(input.Key, true);
            var signature = Convert.FromHexString(new NethereumMessageSigner().Sign(input.Hash, key)[2..]);
            var recovered = MessageSigner.RecoverAddress(input.Hash, signature);
            recovered.Should().Be(key.GetPublicAddress(), "signature {0} was made by that key (per Nethereum)", Hex(signature));

            // The twin (r, n - s, other parity) is a second valid ECDSA signature of the same hash by the same key.
            var highS = CurveOrder - new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
            var twin = signature.ToArray();
            highS.TryWriteBytes(twin.AsSpan(32, 32), out _, isUnsigned: true, isBigEndian: true);
            twin[64] = (byte)(twin[64] == 27 ? 28 : 27);
            new NethereumMessageSigner().EcRecover(input.Hash, Hex(twin)).Should().Be(key.GetPublicAddress(),
                "plain ECDSA (and Nethereum's EcRecover) accepts the high-s twin {0}: that is the malleability", Hex(twin));
            var act = () => MessageSigner.RecoverAddress(input.Hash, twin);
            act.Should().Throw<ArgumentException>("EIP-2 rejects s > n/2, so the high-s twin {0} must not recover", Hex(twin));
        });
    }

    private static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);
}
