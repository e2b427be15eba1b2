using System.Globalization;
using System.Numerics;

namespace Koans.Ethereum.NethereumSigning;

// The same published vectors as ethereum.sign-recover and ethereum.eip712: what you built by hand and what the library
// does must agree byte for byte.
public class SigningTests
{
    // PUBLIC TEST KEY: Anvil's account 0 (mnemonic "test test ... junk"). Never use it on a real network.
    private const string AnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string AnvilAddress0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    // `cast wallet sign --private-key 0xac09...ff80 "hello world"` (Foundry cast 1.7.1) prints this signature.
    private const string HelloWorldSignature =
        "0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b";

    // web3.js 1.x documentation, web3.eth.accounts.sign('Some data', '0x4c08...2318') and recover(): a published key
    // (public: it is printed in the docs), message, signature and address.
    private const string Web3DocsKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string Web3DocsAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    private const string Web3DocsSignature =
        "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    // secp256k1 order n (SEC 2 v2, section 2.4.1).
    private static readonly BigInteger N = BigInteger.Parse(
        "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // EIP-712's example, assets/eip-712/Example.js in ethereum/EIPs: the "Mail" typed data, signed with the private key
    // keccak256("cow") (address 0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826); the expected v, r, s are its last lines.
    private const string MailJson = """
        {
          "types": {
            "EIP712Domain": [
              { "name": "name", "type": "string" },
              { "name": "version", "type": "string" },
              { "name": "chainId", "type": "uint256" },
              { "name": "verifyingContract", "type": "address" }
            ],
            "Person": [
              { "name": "name", "type": "string" },
              { "name": "wallet", "type": "address" }
            ],
            "Mail": [
              { "name": "from", "type": "Person" },
              { "name": "to", "type": "Person" },
              { "name": "contents", "type": "string" }
            ]
          },
          "primaryType": "Mail",
          "domain": {
            "name": "Ether Mail",
            "version": "1",
            "chainId": 1,
            "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"
          },
          "message": {
            "from": { "name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" },
            "to": { "name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB" },
            "contents": "Hello, Bob!"
          }
        }
        """;

    private const string CowAddress = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826";
    private const string MailSignature =
        "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d" + // r
        "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562" + // s
        "1c";                                                                // v = 28

    // Example.js: const privateKey = ethUtil.sha3('cow').
    private static string CowKey => "0x" + Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash("cow"u8.ToArray()));

    [Fact]
    public void SignMessage_reproduces_cast_wallet_sign_and_the_web3js_docs()
    {
        Signing.SignMessage("hello world", AnvilKey0).Should().Be(HelloWorldSignature,
            "the EIP-191 prefix \"\\x19Ethereum Signed Message:\\n11\" is part of what is hashed; signing the bare keccak gives another signature");
        Signing.SignMessage("Some data", Web3DocsKey).Should().Be(Web3DocsSignature,
            "RFC 6979 makes the signature a function of the key and the message only");
    }

    [Fact]
    public void RecoverMessageSigner_returns_the_checksummed_address_of_the_signer()
    {
        Signing.RecoverMessageSigner("hello world", HelloWorldSignature).Should().Be(AnvilAddress0);
        Signing.RecoverMessageSigner("Some data", Web3DocsSignature).Should().Be(Web3DocsAddress, "web3.js docs: recover('Some data', signature)");
    }

    [Fact]
    public void VerifyMessage_compares_accounts_not_strings()
    {
        Signing.VerifyMessage("hello world", HelloWorldSignature, AnvilAddress0.ToLowerInvariant()).Should().BeTrue(
            "0xf39f...2266 and 0xf39F...2266 are the same account: EIP-55 case is a checksum, not part of the identity");
        Signing.VerifyMessage("hello world", HelloWorldSignature, AnvilAddress0).Should().BeTrue();
    }

    [Fact]
    public void VerifyMessage_is_false_for_another_message_or_another_signer()
    {
        Signing.VerifyMessage("hello world!", HelloWorldSignature, AnvilAddress0).Should().BeFalse(
            "the signature recovers some address for any message; only the signed message recovers the signer");
        Signing.VerifyMessage("hello world", HelloWorldSignature, Web3DocsAddress).Should().BeFalse();
        Signing.VerifyMessage("hello world", HelloWorldSignature[..^2], AnvilAddress0).Should().BeFalse("a truncated signature is a no, not an exception");
    }

    [Fact]
    public void VerifyMessage_refuses_the_high_s_twin_of_a_valid_signature()
    {
        // (r, n - s, v flipped) recovers the same address: the malleable twin EIP-2 outlawed for transactions.
        var r = HelloWorldSignature[2..66];
        var s = BigInteger.Parse("0" + HelloWorldSignature[66..130], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var v = Convert.ToByte(HelloWorldSignature[130..], 16);
        var twinS = (N - s).ToString("x64", CultureInfo.InvariantCulture);
        var twin = "0x" + r + twinS[^64..] + (v == 27 ? "1c" : "1b");

        Signing.RecoverMessageSigner("hello world", twin).Should().Be(AnvilAddress0, "the twin is a valid signature by the same key...");
        Signing.VerifyMessage("hello world", twin, AnvilAddress0).Should().BeFalse(
            "...which is why a verifier must refuse s > n/2: otherwise anyone can turn one signature into two (replay guards keyed on the signature bytes break)");
    }

    [Fact]
    public void RecoverMessageSigner_rejects_a_signature_that_is_not_65_bytes()
    {
        var act = () => Signing.RecoverMessageSigner("hello world", HelloWorldSignature[..^2]);

        act.Should().Throw<FormatException>("64 bytes is r and s without v: there is nothing to recover from");
    }

    [Fact]
    public void SignTypedData_reproduces_the_EIP_712_Mail_example()
    {
        Signing.SignTypedData(MailJson, CowKey).Should().Be(MailSignature,
            "Example.js: v = 28, r = 0x4355c47d..., s = 0x07299936... for keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(Mail))");
        Signing.RecoverTypedDataSigner(MailJson, MailSignature).Should().Be(CowAddress);
    }

    [Fact]
    public void A_typed_data_signature_is_bound_to_its_domain()
    {
        var otherChain = MailJson.Replace("\"chainId\": 1,", "\"chainId\": 31337,", StringComparison.Ordinal);

        Signing.RecoverTypedDataSigner(otherChain, MailSignature).Should().NotBe(CowAddress,
            "the domain separator commits to the chain id: a permit signed for mainnet must not be valid on another chain");
    }

    [Fact]
    public void SignMessage_and_RecoverMessageSigner_name_a_null_message()
    {
        ((Action)(() => Signing.SignMessage(null!, AnvilKey0))).Should().Throw<ArgumentNullException>().WithParameterName("message");
        ((Action)(() => Signing.RecoverMessageSigner(null!, HelloWorldSignature))).Should().Throw<ArgumentNullException>().WithParameterName("message");
    }

    public static TheoryData<string, string> MalformedSignatures() => new()
    {
        { "64 bytes (no v)", HelloWorldSignature[..^2] },
        { "66 bytes", HelloWorldSignature + "00" },
        { "no 0x", "00" + HelloWorldSignature[2..] },
        { "a g among the hex digits", HelloWorldSignature[..^1] + "g" },
        { "empty", "" },
    };

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public void A_malformed_signature_is_a_FormatException_to_recover_and_false_to_verify(string problem, string signature)
    {
        ((Action)(() => Signing.RecoverMessageSigner("hello world", signature))).Should().Throw<FormatException>(
            $"{problem}: a signature is 0x + 130 hex digits");
        ((Action)(() => Signing.RecoverTypedDataSigner(MailJson, signature))).Should().Throw<FormatException>(
            $"{problem}: a typed-data signature has the same 65-byte shape");
        Signing.VerifyMessage("hello world", signature, AnvilAddress0).Should().BeFalse($"{problem}: a verifier answers no, it does not throw");
    }

    [Fact]
    public void VerifyMessage_is_false_for_null_arguments()
    {
        Signing.VerifyMessage(null!, HelloWorldSignature, AnvilAddress0).Should().BeFalse("no message was signed");
        Signing.VerifyMessage("hello world", null!, AnvilAddress0).Should().BeFalse("no signature is no proof");
        Signing.VerifyMessage("hello world", HelloWorldSignature, null!).Should().BeFalse("nobody is expected to have signed");
    }

    public static TheoryData<string, string> InvalidScalars() => new()
    {
        { "r = 0", "0x" + new string('0', 64) + HelloWorldSignature[66..] },
        { "s = 0", HelloWorldSignature[..66] + new string('0', 64) + HelloWorldSignature[^2..] },
        // 5^3 + 7 is not a square modulo p (Euler's criterion), so no curve point has x = 5.
        { "r = 5, which is no point's x", "0x" + new string('0', 63) + "5" + HelloWorldSignature[66..] },
        { "r = n", "0x" + N.ToString("x64", CultureInfo.InvariantCulture)[^64..] + HelloWorldSignature[66..] },
    };

    [Theory]
    [MemberData(nameof(InvalidScalars))]
    public void VerifyMessage_is_false_for_an_r_or_s_that_is_no_signature(string problem, string signature) =>
        Signing.VerifyMessage("hello world", signature, AnvilAddress0).Should().BeFalse(
            $"{problem}: not a signature of anything, so the answer is no (and not an exception from the curve arithmetic)");

    [Fact]
    public void VerifyMessage_accepts_an_s_of_exactly_floor_n_over_2_from_the_key_it_recovers_to()
    {
        // floor(n/2) is the largest low s (EIP-2). With cast's r and v it is a valid signature of "hello world" by
        // whichever key Nethereum's plain ECDSA recovery (which has no EIP-2 rule) finds for it.
        var signature = HelloWorldSignature[..66] + (N / 2).ToString("x64", CultureInfo.InvariantCulture)[^64..] + HelloWorldSignature[^2..];
        var signer = new Nethereum.Signer.EthereumMessageSigner().EncodeUTF8AndEcRecover("hello world", signature);

        Signing.VerifyMessage("hello world", signature, signer).Should().BeTrue("s = floor(n/2) is still in the low half: EIP-2 refuses only s > n/2");
    }

    [Fact]
    public void VerifyMessage_refuses_s_zero_even_from_the_key_it_recovers_to()
    {
        // With s = 0, plain recovery still finds a key, Q = -(e / r)G, whose private key anyone can compute from the
        // message and r alone: the "signature" proves nothing. Ethereum refuses it too (go-ethereum's
        // crypto.ValidateSignatureValues requires 1 <= r, s < n before ecrecover), so a verifier that says yes
        // disagrees with the chain.
        var signature = HelloWorldSignature[..66] + new string('0', 64) + HelloWorldSignature[^2..];
        var signer = new Nethereum.Signer.EthereumMessageSigner().EncodeUTF8AndEcRecover("hello world", signature);

        Signing.VerifyMessage("hello world", signature, signer).Should().BeFalse(
            "s must be in [1, n/2]: s = 0 is no signature, whichever address plain recovery finds for it");
    }
}
