using System.Security.Cryptography;
using System.Text;

namespace Koans.Crypto.RsaEcdsa;

public class PublicKeySignaturesTests
{
    // Generating RSA keys is slow; two keys are enough for every test.
    private static readonly RSA Alice = RSA.Create(2048);
    private static readonly RSA Mallory = RSA.Create(2048);

    private static readonly byte[] Message = Encoding.UTF8.GetBytes("Transfer 100 EUR to Bob");

    // RFC 6979, Appendix A.2.5 (ECDSA, 256 bits, prime field): the P-256 public key U = xG and the
    // "With SHA-256, message = \"sample\"" signature (r, s).
    private static readonly byte[] Rfc6979Ux = Convert.FromHexString("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6");
    private static readonly byte[] Rfc6979Uy = Convert.FromHexString("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
    private const string Rfc6979R = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
    private const string Rfc6979S = "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";

    // The same RFC 6979 A.2.5 signature in DER, as listed in ring's src/ec/suite_b/ecdsa_verify_tests.txt:
    // 30 46 (SEQUENCE, 70 bytes) 02 21 00 r (INTEGER, 33 bytes: r's top bit is set, so a 0x00 keeps it positive)
    // 02 21 00 s (the same for s).
    private const string Rfc6979Der = "3046022100" + Rfc6979R + "022100" + Rfc6979S;

    private static ECDsa Rfc6979PublicKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Rfc6979Ux, Y = Rfc6979Uy },
    });

    [Fact]
    public void Pss_signatures_verify_and_are_randomised()
    {
        var first = PublicKeySignatures.SignPss(Alice, Message);
        var second = PublicKeySignatures.SignPss(Alice, Message);

        first.Should().NotEqual(second, "PSS mixes a fresh random salt into every signature (RFC 8017 section 9.1.1)");
        PublicKeySignatures.VerifyPss(Alice, Message, first).Should().BeTrue("a PSS signature verifies under the signer's key");
        PublicKeySignatures.VerifyPss(Alice, Message, second).Should().BeTrue("so does the second, different one");
    }

    [Fact]
    public void Pss_verify_rejects_a_tampered_message()
    {
        var signature = PublicKeySignatures.SignPss(Alice, Message);
        var tampered = Encoding.UTF8.GetBytes("Transfer 900 EUR to Bob");

        PublicKeySignatures.VerifyPss(Alice, tampered, signature).Should().BeFalse("the signature covers every byte of the message");
    }

    [Fact]
    public void Pss_verify_rejects_a_signature_by_another_key()
    {
        var forged = PublicKeySignatures.SignPss(Mallory, Message);

        PublicKeySignatures.VerifyPss(Alice, Message, forged).Should().BeFalse("only Alice's private key makes signatures Alice's public key accepts");
    }

    [Fact]
    public void Pss_verify_rejects_a_PKCS1_v15_signature_of_the_same_message()
    {
        var pkcs1 = Alice.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        PublicKeySignatures.VerifyPss(Alice, Message, pkcs1).Should().BeFalse(
            "PKCS#1 v1.5 and PSS are different encodings: a verifier that accepts both lets an attacker pick the weaker one");
    }

    [Fact]
    public void Oaep_round_trips_and_encrypting_twice_gives_different_ciphertexts()
    {
        var first = PublicKeySignatures.EncryptOaep(Alice, Message);
        var second = PublicKeySignatures.EncryptOaep(Alice, Message);

        first.Should().NotEqual(second, "OAEP is randomised: equal plaintexts must not give equal ciphertexts");
        first.Should().HaveCount(256, "an RSA-2048 ciphertext is always the size of the modulus");
        PublicKeySignatures.DecryptOaep(Alice, first).Should().Equal(Message, "decryption returns the plaintext");
    }

    [Fact]
    public void Oaep_decrypt_rejects_a_tampered_ciphertext()
    {
        var ciphertext = PublicKeySignatures.EncryptOaep(Alice, Message);
        ciphertext[100] ^= 0x01;

        var act = () => PublicKeySignatures.DecryptOaep(Alice, ciphertext);

        act.Should().Throw<CryptographicException>("OAEP's integrity check fails for any modified ciphertext");
    }

    [Fact]
    public void Oaep_decrypt_rejects_a_ciphertext_for_another_key()
    {
        var ciphertext = PublicKeySignatures.EncryptOaep(Mallory, Message);

        var act = () => PublicKeySignatures.DecryptOaep(Alice, ciphertext);

        act.Should().Throw<CryptographicException>("a ciphertext made for Mallory's key does not decrypt with Alice's");
    }

    [Fact]
    public void Rfc6979_sample_signature_verifies_in_P1363_format()
    {
        using var key = Rfc6979PublicKey();
        var p1363 = Convert.FromHexString(Rfc6979R + Rfc6979S);

        PublicKeySignatures.VerifyEcdsa(key, "sample"u8, p1363, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            .Should().BeTrue("RFC 6979 A.2.5 publishes this (r, s) for P-256, SHA-256 and the message \"sample\"");
    }

    [Fact]
    public void Rfc6979_sample_signature_converts_to_the_published_DER_and_verifies_as_DER()
    {
        using var key = Rfc6979PublicKey();

        var der = PublicKeySignatures.P1363ToDer(Convert.FromHexString(Rfc6979R + Rfc6979S));

        Convert.ToHexString(der).Should().Be(Rfc6979Der,
            "DER INTEGERs are signed: r and s both have their top bit set, so each gets a leading 0x00");
        PublicKeySignatures.VerifyEcdsa(key, "sample"u8, der, DSASignatureFormat.Rfc3279DerSequence)
            .Should().BeTrue("the DER form carries the same (r, s)");
    }

    [Fact]
    public void VerifyEcdsa_rejects_the_RFC_6979_sample_signature_with_s_written_as_a_negative_DER_INTEGER()
    {
        using var key = Rfc6979PublicKey();
        // The published DER with s's 0x00 dropped: 02 20 s is a 32-byte INTEGER whose top bit is set, so it is negative.
        var negativeS = Convert.FromHexString("3045022100" + Rfc6979R + "0220" + Rfc6979S);

        PublicKeySignatures.VerifyEcdsa(key, "sample"u8, negativeS, DSASignatureFormat.Rfc3279DerSequence)
            .Should().BeFalse("s is a negative number in DER; reading it as unsigned gives the same signature a second encoding (malleability), which DerToP1363 already refuses");
    }

    [Fact]
    public void Rfc6979_sample_signature_in_DER_converts_back_to_P1363()
    {
        var p1363 = PublicKeySignatures.DerToP1363(Convert.FromHexString(Rfc6979Der));

        Convert.ToHexString(p1363).Should().Be(Rfc6979R + Rfc6979S, "P1363 is r||s, each exactly 32 bytes for P-256");
    }

    [Fact]
    public void A_signature_in_one_format_does_not_verify_as_the_other()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = PublicKeySignatures.SignEcdsa(key, Message, DSASignatureFormat.Rfc3279DerSequence);
        var p1363 = PublicKeySignatures.SignEcdsa(key, Message, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        p1363.Should().HaveCount(64, "P1363 for P-256 is two 32-byte numbers");
        der[0].Should().Be(0x30, "DER starts with a SEQUENCE tag");
        PublicKeySignatures.VerifyEcdsa(key, Message, der, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            .Should().BeFalse("a DER signature read as r||s is garbage");
        PublicKeySignatures.VerifyEcdsa(key, Message, p1363, DSASignatureFormat.Rfc3279DerSequence)
            .Should().BeFalse("r||s is not a DER SEQUENCE");
    }

    [Fact]
    public void Conversions_round_trip_fresh_signatures_including_short_numbers()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // Over 40 signatures, some r or s is very likely below 2^248 (probability 1/256 each) or has its top bit clear
        // (about 1/2 each): both change the DER length. Every one must survive the round trip.
        for (var i = 0; i < 40; i++)
        {
            var message = BitConverter.GetBytes(i);
            var der = PublicKeySignatures.SignEcdsa(key, message, DSASignatureFormat.Rfc3279DerSequence);

            var p1363 = PublicKeySignatures.DerToP1363(der);

            p1363.Should().HaveCount(64, "P1363 numbers are left-padded to the field size");
            PublicKeySignatures.VerifyEcdsa(key, message, p1363, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                .Should().BeTrue("DerToP1363 keeps r and s");
            PublicKeySignatures.P1363ToDer(p1363).Should().Equal(der, "DER is canonical: one value, one encoding");
        }
    }

    [Theory]
    [InlineData("3046022100" + Rfc6979R + "022100" + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F84", "truncated")]
    [InlineData(Rfc6979Der + "00", "a trailing byte after the SEQUENCE")]
    [InlineData("30070201010202007F", "a non-minimal INTEGER (a 0x00 before a byte whose top bit is clear is BER, not DER)")]
    [InlineData("30060201FF020101", "a negative r")]
    [InlineData("3006020101040101", "an OCTET STRING where s should be")]
    [InlineData("3009020101020101020101", "a third INTEGER inside the SEQUENCE")]
    [InlineData("3006020100020101", "a zero r (ECDSA numbers are in 1..n-1)")]
    [InlineData("3026022101" + "0000000000000000000000000000000000000000000000000000000000000000" + "020101", "an r of 33 bytes, longer than the 32-byte field")]
    public void DerToP1363_rejects_malformed_DER(string hex, string what)
    {
        var act = () => PublicKeySignatures.DerToP1363(Convert.FromHexString(hex));

        act.Should().Throw<FormatException>($"the input has {what}");
    }

    [Fact]
    public void P1363ToDer_rejects_an_odd_length()
    {
        var act = () => PublicKeySignatures.P1363ToDer(new byte[63]);

        act.Should().Throw<ArgumentException>("r||s has two equal halves");
    }

    [Fact]
    public void Small_numbers_are_left_padded_to_the_field_in_both_directions()
    {
        // r = 1, s = 2: DER writes each in one byte (RFC 3279 section 2.2.3, X.690 section 8.3); P1363 writes each in
        // the full field width, left-padded with zeros (IEEE 1363 I2OSP).
        var p1363 = Convert.FromHexString(new string('0', 62) + "01" + new string('0', 62) + "02");
        var der = Convert.FromHexString("3006020101020102");

        PublicKeySignatures.DerToP1363(der).Should().Equal(p1363, "each number is padded to 32 bytes, not written at its own length");
        PublicKeySignatures.P1363ToDer(p1363).Should().Equal(der, "DER drops the leading zeros: minimal INTEGERs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void DerToP1363_refuses_a_field_size_that_is_not_positive(int fieldSizeBytes)
    {
        var act = () => PublicKeySignatures.DerToP1363(Convert.FromHexString(Rfc6979Der), fieldSizeBytes);

        act.Should().Throw<ArgumentOutOfRangeException>("a field of no bytes is the caller's bug, not a malformed signature");
    }

    [Fact]
    public void Null_keys_are_refused_by_name()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = PublicKeySignatures.SignEcdsa(ecdsa, Message, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        ((Action)(() => PublicKeySignatures.SignPss(null!, Message))).Should().Throw<ArgumentNullException>().WithParameterName("privateKey");
        ((Action)(() => PublicKeySignatures.VerifyPss(null!, Message, signature))).Should().Throw<ArgumentNullException>().WithParameterName("publicKey");
        ((Action)(() => PublicKeySignatures.EncryptOaep(null!, Message))).Should().Throw<ArgumentNullException>().WithParameterName("publicKey");
        ((Action)(() => PublicKeySignatures.DecryptOaep(null!, signature))).Should().Throw<ArgumentNullException>().WithParameterName("privateKey");
        ((Action)(() => PublicKeySignatures.SignEcdsa(null!, Message, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)))
            .Should().Throw<ArgumentNullException>().WithParameterName("privateKey");
        ((Action)(() => PublicKeySignatures.VerifyEcdsa(null!, Message, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)))
            .Should().Throw<ArgumentNullException>().WithParameterName("publicKey");
    }
}
