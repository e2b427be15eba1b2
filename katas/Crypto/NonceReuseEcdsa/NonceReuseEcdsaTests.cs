using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Math;

namespace Koans.Crypto.NonceReuseEcdsa;

public sealed class NonceReuseEcdsaTests
{
    private static BigInteger Hex(string hex) => new(hex, 16);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    // RFC 6979 Appendix A.2.5 (ECDSA, 256 bits, prime field: NIST P-256), private key x and public key U = xG.
    private static readonly BigInteger RfcPrivateKey = Hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    private static readonly BigInteger RfcPublicX = Hex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6");
    private static readonly BigInteger RfcPublicY = Hex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");

    // RFC 6979 A.2.5, "With SHA-256, message = "sample"": k, r, s.
    private static readonly BigInteger SampleNonce = Hex("A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60");
    private static readonly EcdsaSignature SampleSignature = new(
        Hex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"),
        Hex("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"));

    // RFC 6979 A.2.5, "With SHA-256, message = "test"": r, s.
    private static readonly EcdsaSignature TestSignature = new(
        Hex("F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367"),
        Hex("019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"));

    private static BigInteger RandomScalar()
    {
        var n = P256.Domain.N;
        BigInteger value;
        do
        {
            value = new BigInteger(1, RandomNumberGenerator.GetBytes(32));
        }
        while (value.SignValue == 0 || value.CompareTo(n) >= 0);

        return value;
    }

    [Fact]
    public void RecoverPrivateKey_recovers_the_RFC_6979_key_from_two_signatures_sharing_a_nonce()
    {
        // An honest ECDSA signer that reuses the nonce RFC 6979 derived for "sample" to sign "test" as well.
        var victim = new RepeatedNonceSigner(RfcPrivateKey, SampleNonce);
        var sample = victim.Sign(Ascii("sample"));
        var test = victim.Sign(Ascii("test"));
        sample.Should().Be(SampleSignature, "with RFC 6979's k for \"sample\" the signer reproduces A.2.5's signature");

        var recovered = NonceReuseAttack.RecoverPrivateKey(Ascii("sample"), sample, Ascii("test"), test);

        recovered.Should().Be(RfcPrivateKey, "one repeated k leaves two linear equations in k and d: "
            + "both digests (af2b... and 9f86...) have the top bit set, so they must be read as unsigned integers");
    }

    [Fact]
    public void RecoverPrivateKey_recovers_random_keys_whose_public_key_matches()
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var victim = new RepeatedNonceSigner(RandomScalar(), RandomScalar());
            var message1 = RandomNumberGenerator.GetBytes(40);
            var message2 = RandomNumberGenerator.GetBytes(40);

            var recovered = NonceReuseAttack.RecoverPrivateKey(message1, victim.Sign(message1), message2, victim.Sign(message2));

            P256.PublicKeyOf(recovered).Should().Be(victim.PublicKey,
                "the recovered d is the victim's key: dG is the published public key (all arithmetic mod n)");
        }
    }

    [Fact]
    public void The_recovered_key_signs_anything_the_victims_public_key_accepts()
    {
        var victim = new RepeatedNonceSigner(RandomScalar(), RandomScalar());
        var firmware1 = Ascii("firmware 3.55");
        var firmware2 = Ascii("firmware 3.56");
        var key = NonceReuseAttack.RecoverPrivateKey(firmware1, victim.Sign(firmware1), firmware2, victim.Sign(firmware2));

        var homebrew = Ascii("homebrew loader");
        var forged = DeterministicEcdsa.Sign(key, homebrew);

        P256.Verify(victim.PublicKey, homebrew, forged).Should().BeTrue(
            "with the private key, the attacker signs any code the console will run (PS3, 2010)");
    }

    [Fact]
    public void RecoverPrivateKey_rejects_signatures_whose_nonces_differ()
    {
        var act = () => NonceReuseAttack.RecoverPrivateKey(Ascii("sample"), SampleSignature, Ascii("test"), TestSignature);

        act.Should().Throw<ArgumentException>(
            "RFC 6979 gives \"sample\" and \"test\" different k, so their r differ and there is nothing to solve");
    }

    [Fact]
    public void RecoverPrivateKey_rejects_one_message_signed_twice()
    {
        var act = () => NonceReuseAttack.RecoverPrivateKey(Ascii("sample"), SampleSignature, Ascii("sample"), SampleSignature);

        act.Should().Throw<ArgumentException>(
            "the same message with the same k gives the same s: s1 - s2 = 0 has no inverse mod n");
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("test")]
    public void Sign_matches_RFC_6979_appendix_A_2_5(string message)
    {
        var expected = message == "sample" ? SampleSignature : TestSignature;

        var signature = DeterministicEcdsa.Sign(RfcPrivateKey, Ascii(message));

        signature.Should().Be(expected, $"RFC 6979 A.2.5 gives this P-256 / SHA-256 signature of \"{message}\": "
            + "the nonce is derived from the key and the hash, so the signature is reproducible");
    }

    [Fact]
    public void Sign_gives_different_messages_different_nonces_so_the_attack_has_nothing_to_solve()
    {
        var publicKey = P256.PublicKeyOf(RfcPrivateKey);
        publicKey.AffineXCoord.ToBigInteger().Should().Be(RfcPublicX, "RFC 6979 A.2.5 publishes Ux");
        publicKey.AffineYCoord.ToBigInteger().Should().Be(RfcPublicY, "RFC 6979 A.2.5 publishes Uy");
        var first = DeterministicEcdsa.Sign(RfcPrivateKey, Ascii("pay alice 10"));
        var second = DeterministicEcdsa.Sign(RfcPrivateKey, Ascii("pay bob 10"));

        second.R.Should().NotBe(first.R, "RFC 6979 derives k from the message hash: different messages, different k");
        P256.Verify(publicKey, Ascii("pay alice 10"), first).Should().BeTrue("a deterministic signature is a valid ECDSA signature");
        var act = () => NonceReuseAttack.RecoverPrivateKey(Ascii("pay alice 10"), first, Ascii("pay bob 10"), second);
        act.Should().Throw<ArgumentException>("without a shared k the two equations have three unknowns");
    }

    [Fact]
    public void Sign_is_deterministic_for_one_message()
    {
        var first = DeterministicEcdsa.Sign(RfcPrivateKey, Ascii("pay alice 10"));
        var again = DeterministicEcdsa.Sign(RfcPrivateKey, Ascii("pay alice 10"));

        again.Should().Be(first, "the same key and message give the same k, so the same signature: no RNG involved");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")] // n itself (SEC 2, 2.4.2)
    public void Sign_rejects_a_private_key_outside_1_to_n_minus_1(string privateKeyHex)
    {
        var act = () => DeterministicEcdsa.Sign(Hex(privateKeyHex), Ascii("sample"));

        act.Should().Throw<ArgumentOutOfRangeException>("SEC 1 v2 section 3.2.1: a private key d is in [1, n - 1]");
    }
}
