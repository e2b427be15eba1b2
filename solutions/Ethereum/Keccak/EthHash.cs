using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.Keccak;

/// <summary>Reference solution for ethereum.keccak.</summary>
public static partial class EthHash
{
    public static byte[] Keccak256(ReadOnlySpan<byte> data)
    {
        // KeccakDigest is Keccak with the original 0x01 padding: Ethereum's hash. (Sha3Digest would be FIPS 202.)
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data);
        var digest = new byte[32];
        keccak.DoFinal(digest);
        return digest;
    }

    public static string FunctionSelector(string signature) =>
        "0x" + Convert.ToHexStringLower(HashCanonical(signature).AsSpan(0, 4));

    public static string EventTopic(string signature) => "0x" + Convert.ToHexStringLower(HashCanonical(signature));

    private static byte[] HashCanonical(string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!CanonicalShape().IsMatch(signature))
        {
            throw new FormatException($"'{signature}' is not a canonical signature name(type,...) without whitespace.");
        }

        if (BareIntAlias().IsMatch(signature))
        {
            throw new FormatException($"'{signature}' uses uint/int: the canonical names are uint256/int256.");
        }

        return Keccak256(Encoding.ASCII.GetBytes(signature));
    }

    // name, then a parenthesised list of type characters only (letters, digits, brackets, commas, nested tuples).
    [GeneratedRegex(@"\A[A-Za-z_$][A-Za-z0-9_$]*\([A-Za-z0-9_\[\](),]*\)\z")]
    private static partial Regex CanonicalShape();

    // "uint" or "int" not followed by a bit size.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])u?int(?![0-9A-Za-z_])")]
    private static partial Regex BareIntAlias();
}
