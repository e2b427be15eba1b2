using System.Numerics;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Koans.Ethereum.SignRecover;

public class MessageSignerTests
{
    // PUBLIC TEST KEY: Anvil's account 0 (mnemonic "test test ... junk"). Never use it on a real network.
    private const string AnvilKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string AnvilAddress0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    // web3.js 1.x documentation, web3.eth.accounts, "sign" and "recover" examples: a published key, message and
    // signature. (Also a public key: it is printed in the docs.)
    private const string Web3DocsKey = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private const string Web3DocsAddress = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23";
    private const string Web3DocsSignature =
        "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c";

    // secp256k1 order n (SEC 2 v2, section 2.4.1).
    private static readonly BigInteger N = BigInteger.Parse(
        "0fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", System.Globalization.NumberStyles.HexNumber);

    // web3.js docs: web3.eth.accounts.hashMessage("Hello World") -> 0xa1de98...; ethers v6 tests, "Test EIP-191 Personal
    // Message Hash", cases hello-world and binary-message ([0x42, 0x43] -> 0x0d3abc18...).
    [Fact]
    public void HashPersonalMessage_matches_the_web3js_and_ethers_published_hashes()
    {
        Hex(MessageSigner.HashPersonalMessage("Hello World"u8))
            .Should().Be("a1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2");
        Hex(MessageSigner.HashPersonalMessage([0x42, 0x43]))
            .Should().Be("0d3abc18ec299cf9b42ba439ac6f7e3e6ec9f5c048943704e30fc2d9c7981438");
    }

    [Fact]
    public void HashPersonalMessage_starts_the_prefix_with_byte_0x19_not_the_C_sharp_escape_x19E()
    {
        var hash = MessageSigner.HashPersonalMessage("hello world"u8);

        var trap = "\x19Ethereum Signed Message:\n11hello world";
        trap[0].Should().Be('\u019E', "C#'s \\x escape is greedy: \\x19E is one character, U+019E");
        hash.Should().NotEqual(Keccak(Encoding.UTF8.GetBytes(trap)),
            "the prefix is the byte 0x19 then \"Ethereum\": write \"\\u0019Ethereum\"");
        // `cast hash-message "hello world"` (Foundry cast 1.7.1).
        Hex(hash).Should().Be("d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68");
    }

    // web3.js docs: web3.eth.accounts.sign('Some data', '0x4c08...2318') publishes this signature (v = 0x1c = 28).
    [Fact]
    public void SignPersonalMessage_reproduces_the_web3js_docs_signature() =>
        MessageSigner.SignPersonalMessage("Some data", Web3DocsKey).Should().Be(Web3DocsSignature,
            "RFC 6979 makes k, and so the signature, a function of key and hash only");

    // `cast wallet sign --private-key 0xac09...ff80 "hello world"` (Foundry cast 1.7.1) prints this signature.
    [Fact]
    public void SignPersonalMessage_reproduces_cast_wallet_sign_with_Anvil_account_0() =>
        MessageSigner.SignPersonalMessage("hello world", AnvilKey0).Should().Be(
            "0xa461f509887bd19e312c0c58467ce8ff8e300d3c1a90b608a760c5b80318eaf15fe57c96f9175d6cd4daad4663763baa7e78836e067d0163e9a2ccf2ff753f5b1b");

    // web3.js docs: web3.eth.accounts.recover('Some data', signature) -> 0x2c7536E3605D9C16a7a3D7b1898e529396a65c23.
    [Fact]
    public void RecoverPersonalMessageSigner_finds_the_web3js_docs_address() =>
        MessageSigner.RecoverPersonalMessageSigner("Some data", Web3DocsSignature).Should().Be(Web3DocsAddress);

    [Fact]
    public void Sign_then_recover_gives_the_signers_address_and_a_low_s()
    {
        var hash = MessageSigner.HashPersonalMessage("kata"u8);
        var signature = MessageSigner.SignHash(hash, Convert.FromHexString(AnvilKey0[2..]));

        signature.Should().HaveCount(65);
        signature[64].Should().BeOneOf([(byte)27, (byte)28]);
        S(signature).Should().BeLessThanOrEqualTo(N / 2, "EIP-2: only the low-s signature is valid");
        MessageSigner.RecoverAddress(hash, signature).Should().Be(AnvilAddress0);
    }

    [Fact]
    public void RecoverAddress_rejects_the_high_s_twin_of_a_valid_signature()
    {
        var signature = Convert.FromHexString(Web3DocsSignature[2..]);
        var hash = MessageSigner.HashPersonalMessage("Some data"u8);
        // (r, n - s) with the other recovery id is also a mathematically valid ECDSA signature of the same hash.
        var twin = signature[..32].Concat(Bytes32(N - S(signature))).Append((byte)(signature[64] == 27 ? 28 : 27)).ToArray();

        var act = () => MessageSigner.RecoverAddress(hash, twin);

        act.Should().Throw<ArgumentException>(
            "EIP-2 (Homestead) rejects s > n/2 so a third party cannot mint a second valid signature");
    }

    [Fact]
    public void RecoverAddress_rejects_a_v_that_is_not_27_or_28()
    {
        var signature = Convert.FromHexString(Web3DocsSignature[2..]);
        signature[64] = 29;

        var act = () => MessageSigner.RecoverAddress(MessageSigner.HashPersonalMessage("Some data"u8), signature);

        act.Should().Throw<ArgumentException>("personal_sign's v is 27 + recovery id, and the recovery id is 0 or 1");
    }

    [Fact]
    public void RecoverAddress_rejects_a_zero_r()
    {
        var signature = Convert.FromHexString(Web3DocsSignature[2..]);
        Array.Clear(signature, 0, 32);

        var act = () => MessageSigner.RecoverAddress(MessageSigner.HashPersonalMessage("Some data"u8), signature);

        act.Should().Throw<ArgumentException>("r and s must be in [1, n - 1]");
    }

    [Fact]
    public void A_tampered_message_recovers_another_address() =>
        MessageSigner.RecoverPersonalMessageSigner("Some data!", Web3DocsSignature).Should().NotBe(Web3DocsAddress,
            "recovery always yields *some* address: verification means comparing it with the expected signer");

    [Fact]
    public void RecoverAddress_rejects_a_64_byte_signature()
    {
        var act = () => MessageSigner.RecoverAddress(new byte[32], new byte[64]);

        act.Should().Throw<ArgumentException>("without v the public key cannot be recovered (EIP-2098 compact form aside)");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void SignHash_rejects_a_hash_that_is_not_32_bytes(int length)
    {
        var act = () => MessageSigner.SignHash(new byte[length], Convert.FromHexString(AnvilKey0[2..]));

        act.Should().Throw<ArgumentException>().WithParameterName("hash",
            "ECDSA over secp256k1 signs a 32-byte digest; anything else is a caller's mistake, not something to pad or cut");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void SignHash_rejects_a_private_key_that_is_not_32_bytes(int length)
    {
        // Every byte 0x01: a 31-byte key read as a number would be a valid scalar, another account's key.
        var key = Enumerable.Repeat((byte)0x01, length).ToArray();

        var act = () => MessageSigner.SignHash(new byte[32], key);

        act.Should().ThrowExactly<ArgumentException>("a secp256k1 private key is exactly 32 bytes, never padded or cut")
            .WithParameterName("privateKey");
    }

    // SEC 2 v2, section 2.4.1: the order n of secp256k1 is fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void SignHash_rejects_a_private_key_outside_1_to_n_minus_1(string keyHex)
    {
        var act = () => MessageSigner.SignHash(new byte[32], Convert.FromHexString(keyHex));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("privateKey",
            "a private key is a scalar in [1, n - 1]: 0 has no public key, and n or more is not reduced");
    }

    [Fact]
    public void RecoverAddress_rejects_a_hash_that_is_not_32_bytes()
    {
        var act = () => MessageSigner.RecoverAddress(new byte[31], Convert.FromHexString(Web3DocsSignature[2..]));

        act.Should().Throw<ArgumentException>().WithParameterName("hash", "the signed digest is 32 bytes");
    }

    public static TheoryData<string, string, string> OutOfRangeRandS() => new()
    {
        { "r = n", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "" },
        { "s = 0", "", "0000000000000000000000000000000000000000000000000000000000000000" },
        { "s = n", "", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141" },
        // 5^3 + 7 is not a square modulo p (Euler's criterion: (x^3 + 7)^((p-1)/2) = -1 mod p), so no point has x = 5.
        { "r = 5, which is no point's x", "0000000000000000000000000000000000000000000000000000000000000005", "" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeRandS))]
    public void RecoverAddress_rejects_an_r_or_s_that_is_not_a_valid_scalar(string problem, string rHex, string sHex)
    {
        var signature = Convert.FromHexString(Web3DocsSignature[2..]);
        if (rHex.Length > 0)
        {
            Convert.FromHexString(rHex).CopyTo(signature, 0);
        }

        if (sHex.Length > 0)
        {
            Convert.FromHexString(sHex).CopyTo(signature, 32);
        }

        var act = () => MessageSigner.RecoverAddress(MessageSigner.HashPersonalMessage("Some data"u8), signature);

        act.Should().Throw<ArgumentException>().WithParameterName("signature",
            $"{problem}: r and s are scalars in [1, n - 1] and R must be a curve point; anything else is not a signature, and must not become some address (or a math library's exception)");
    }

    // R = G (r = Gx, y even so v = 27), s = 1 and hash e = 1 give Q = r^-1 (sR - eG) = r^-1 (G - G): the point at
    // infinity, which has no public key and no address. G is from SEC 2 v2, section 2.4.1.
    [Fact]
    public void RecoverAddress_rejects_a_signature_that_recovers_the_point_at_infinity()
    {
        var hash = new byte[32];
        hash[31] = 1;
        var signature = Convert.FromHexString(
            "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
            "0000000000000000000000000000000000000000000000000000000000000001" + "1b");

        var act = () => MessageSigner.RecoverAddress(hash, signature);

        act.Should().Throw<ArgumentException>().WithParameterName("signature",
            "the point at infinity is no public key: hashing its encoding gives an address nobody holds a key for, and 'recovering' it lets a forger choose the signer");
    }

    [Fact]
    public void RecoverAddress_accepts_an_s_of_exactly_n_over_2_the_top_of_the_low_half()
    {
        var signature = Convert.FromHexString(Web3DocsSignature[2..]);
        Bytes32((N - 1) / 2).CopyTo(signature, 32);

        var act = () => MessageSigner.RecoverAddress(MessageSigner.HashPersonalMessage("Some data"u8), signature);

        act.Should().NotThrow("EIP-2 refuses s > n/2 (n is odd, so floor(n/2) is the largest low s); s = floor(n/2) is still a valid signature of some key");
    }

    [Fact]
    public void SignPersonalMessage_and_RecoverPersonalMessageSigner_name_their_null_argument()
    {
        var nullMessage = () => MessageSigner.SignPersonalMessage(null!, AnvilKey0);
        var nullKey = () => MessageSigner.SignPersonalMessage("hello", null!);
        var nullMessageToRecover = () => MessageSigner.RecoverPersonalMessageSigner(null!, Web3DocsSignature);
        var nullSignature = () => MessageSigner.RecoverPersonalMessageSigner("Some data", null!);

        nullMessage.Should().Throw<ArgumentNullException>().WithParameterName("message");
        nullKey.Should().Throw<ArgumentNullException>().WithParameterName("privateKeyHex");
        nullMessageToRecover.Should().Throw<ArgumentNullException>().WithParameterName("message");
        nullSignature.Should().Throw<ArgumentNullException>().WithParameterName("signatureHex");
    }

    [Theory]
    [InlineData("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")]
    [InlineData("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8g")]
    public void SignPersonalMessage_rejects_a_key_that_is_not_0x_hex(string key)
    {
        var act = () => MessageSigner.SignPersonalMessage("hello world", key);

        act.Should().Throw<FormatException>("the key is documented as 0x + 64 hex digits; guessing at other spellings hides a caller's bug");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static BigInteger S(byte[] signature) => new(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);

    private static byte[] Bytes32(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static byte[] Keccak(byte[] data)
    {
        var keccak = new KeccakDigest(256);
        keccak.BlockUpdate(data, 0, data.Length);
        var hash = new byte[32];
        keccak.DoFinal(hash, 0);
        return hash;
    }
}
