namespace Koans.Ethereum.NethereumSigning;

/// <summary>
/// Kata ethereum.nethereum-signing, part 1: EIP-191 messages and EIP-712 typed data with Nethereum.Signer and
/// Nethereum.Signer.EIP712, what web3.py's <c>eth_account</c> (<c>encode_defunct</c>, <c>sign_message</c>,
/// <c>encode_typed_data</c>, <c>recover_message</c>) does. ethereum.sign-recover and ethereum.eip712 built both by hand;
/// the tests here use the same published vectors, so the library must agree with what you built.
/// </summary>
/// <remarks>
/// Keys are 0x + 64 hex digits; signatures are 0x + 130 hex digits: r (32 bytes), s (32 bytes), v (27 or 28).
/// Addresses are returned EIP-55 checksummed. Typed data is the JSON of <c>eth_signTypedData_v4</c>:
/// <c>types</c> (with <c>EIP712Domain</c>), <c>primaryType</c>, <c>domain</c>, <c>message</c>.
/// </remarks>
public static class Signing
{
    /// <summary>Signs <paramref name="message"/> (UTF-8) as <c>personal_sign</c> does: EIP-191 version 0x45, the
    /// "\x19Ethereum Signed Message:\n" + length prefix, keccak256, secp256k1 with a deterministic (RFC 6979) nonce.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null (named).</exception>
    public static string SignMessage(string message, string privateKey) => throw new NotImplementedException();

    /// <summary>The address that signed <paramref name="message"/> with <paramref name="signature"/> (EIP-191), checksummed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is null (named).</exception>
    /// <exception cref="FormatException"><paramref name="signature"/> is not 0x + 65 bytes of hex.</exception>
    public static string RecoverMessageSigner(string message, string signature) => throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="signature"/> is <paramref name="expectedSigner"/>'s EIP-191 signature of
    /// <paramref name="message"/>. The address comparison ignores case (a checksummed and a lowercase address are the
    /// same account). A signature whose s is in the upper half of the curve order is refused (false): it is the
    /// malleable twin of a valid one (EIP-2), and accepting both lets anyone make a second "different" signature.
    /// A malformed signature (not 0x + 65 bytes of hex, r or s not a valid scalar, no curve point for r), or a null
    /// argument, is false, not an exception: a verifier answers yes or no.
    /// </summary>
    public static bool VerifyMessage(string message, string signature, string expectedSigner) => throw new NotImplementedException();

    /// <summary>Signs EIP-712 typed data (<c>eth_signTypedData_v4</c> JSON): keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public static string SignTypedData(string typedDataJson, string privateKey) => throw new NotImplementedException();

    /// <summary>The address that signed the typed data <paramref name="typedDataJson"/> with <paramref name="signature"/>, checksummed.</summary>
    /// <exception cref="FormatException"><paramref name="signature"/> is not 0x + 65 bytes of hex.</exception>
    public static string RecoverTypedDataSigner(string typedDataJson, string signature) => throw new NotImplementedException();
}
