using System.Globalization;
using System.Numerics;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;

namespace Koans.Ethereum.NethereumSigning;

/// <summary>Reference solution for ethereum.nethereum-signing (EIP-191 and EIP-712).</summary>
public static class Signing
{
    // secp256k1's group order n (SEC 2 v2, section 2.4.1); EIP-2 accepts only s <= n / 2.
    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static readonly EthereumMessageSigner MessageSigner = new();

    public static string SignMessage(string message, string privateKey)
    {
        ArgumentNullException.ThrowIfNull(message);
        // EncodeUTF8AndSign adds the EIP-191 prefix itself; EthECKey.Sign(hash) would sign a bare hash (a transaction-
        // shaped digest), which is exactly what the prefix exists to prevent.
        return MessageSigner.EncodeUTF8AndSign(message, new EthECKey(privateKey));
    }

    public static string RecoverMessageSigner(string message, string signature)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckSignatureFormat(signature);
        return MessageSigner.EncodeUTF8AndEcRecover(message, signature);
    }

    public static bool VerifyMessage(string message, string signature, string expectedSigner)
    {
        if (message is null || !IsWellFormed(signature) || !HasValidScalars(signature))
        {
            return false;
        }

        try
        {
            // Addresses are compared as accounts, not as strings: EIP-55 case is a checksum, not identity. A null
            // expectedSigner equals no recovered address.
            return string.Equals(MessageSigner.EncodeUTF8AndEcRecover(message, signature), expectedSigner, StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Org.BouncyCastle.Crypto.CryptoException)
        {
            return false; // r or s out of range, or no point on the curve: not a signature of anything
        }
    }

    public static string SignTypedData(string typedDataJson, string privateKey) =>
        Eip712TypedDataSigner.Current.SignTypedDataV4(typedDataJson, new EthECKey(privateKey));

    public static string RecoverTypedDataSigner(string typedDataJson, string signature)
    {
        CheckSignatureFormat(signature);
        return Eip712TypedDataSigner.Current.RecoverFromSignatureV4(typedDataJson, signature);
    }

    private static bool IsWellFormed(string? signature) =>
        signature is { Length: 132 } && signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && signature.AsSpan(2).ContainsAnyExcept(HexDigits) is false;

    // r in [1, n - 1] and s in [1, n / 2] (EIP-2). Checked here, not left to the library: its recovery computes r^-1
    // mod n and throws ArithmeticException for r = n.
    private static bool HasValidScalars(string signature)
    {
        var r = Scalar(signature.AsSpan(2, 64));
        var s = Scalar(signature.AsSpan(66, 64));
        return r.Sign > 0 && r < CurveOrder && s.Sign > 0 && s <= CurveOrder / 2;
    }

    private static BigInteger Scalar(ReadOnlySpan<char> hex) =>
        new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    private static void CheckSignatureFormat(string? signature)
    {
        if (!IsWellFormed(signature))
        {
            throw new FormatException("A signature is 0x + 130 hex digits: r (32 bytes), s (32 bytes), v (1 byte).");
        }
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
