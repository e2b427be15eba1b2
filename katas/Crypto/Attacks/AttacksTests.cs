using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Koans.Crypto.Attacks;

public sealed class AttacksTests : IDisposable
{
    // The victim's secret key: random per test run, never given to the attack code.
    private readonly Aes _victim = Aes.Create();
    private int _oracleCalls;

    public AttacksTests() => _victim.Key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => _victim.Dispose();

    /// <summary>The vulnerable server: it decrypts and tells whether the padding was valid (by an error code,
    /// a different message, or timing: here, a bool). Deterministic: no timing involved.</summary>
    private bool PaddingOracle(byte[] iv, byte[] ciphertext)
    {
        _oracleCalls++;
        try
        {
            _victim.DecryptCbc(ciphertext, iv, PaddingMode.PKCS7);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private (byte[] Iv, byte[] Ciphertext) EncryptCbc(string message)
    {
        var iv = RandomNumberGenerator.GetBytes(16);
        return (iv, _victim.EncryptCbc(Encoding.UTF8.GetBytes(message), iv, PaddingMode.PKCS7));
    }

    /// <summary>AES-CTR built from AES-ECB: keystream block n = AES(key, nonce(8) || counter(8, big-endian)).</summary>
    private byte[] EncryptCtr(byte[] nonce, byte[] plaintext)
    {
        var blocks = (plaintext.Length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var n = 0; n < blocks; n++)
        {
            nonce.CopyTo(counters, n * 16);
            BinaryPrimitives.WriteUInt64BigEndian(counters.AsSpan(n * 16 + 8), (ulong)n);
        }

        var keystream = _victim.EncryptEcb(counters, PaddingMode.None);
        return plaintext.Select((p, i) => (byte)(p ^ keystream[i])).ToArray();
    }

    [Fact]
    public void The_padding_oracle_attack_decrypts_a_multi_block_message_within_the_query_budget()
    {
        const string secret = "Transfer 1,000,000 EUR to account DE44 5001 0517";
        var (iv, ciphertext) = EncryptCbc(secret);
        var blocks = ciphertext.Length / 16;

        var recovered = PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

        Encoding.UTF8.GetString(recovered).Should().Be(secret, "the oracle's yes/no answers reveal every byte");
        _oracleCalls.Should().BeLessThanOrEqualTo(blocks * (256 * 16 + 2),
            "at most 256 guesses per byte and two confirmations per block: the attack is linear, not 2^128");
    }

    [Fact]
    public void The_padding_oracle_attack_handles_a_message_that_fills_whole_blocks()
    {
        const string secret = "exactly 16 bytes";
        var (iv, ciphertext) = EncryptCbc(secret);

        var recovered = PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

        ciphertext.Should().HaveCount(32, "PKCS#7 adds a whole block of 0x10 when the message fills its blocks");
        Encoding.UTF8.GetString(recovered).Should().Be(secret, "the full padding block is recovered and removed");
    }

    [Fact]
    public void The_padding_oracle_attack_survives_plaintexts_that_cause_false_positives()
    {
        // The first block ends in 02 02. An attack that forges from the real previous block (the textbook way) keeps
        // byte 14 decrypting to 0x02, so the guess that makes byte 15 decrypt to 0x02 is valid padding too ("02 02"),
        // and it may come before the real 0x01. Several runs with random IVs vary which guess comes first.
        var secret = "AAAAAAAAAAAAAA\u0002\u0002" + "tail";
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var (iv, ciphertext) = EncryptCbc(secret);

            var recovered = PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

            Encoding.UTF8.GetString(recovered).Should().Be(secret, "a hit on the last byte must be confirmed before it is trusted");
        }
    }

    [Fact]
    public void The_oracle_only_ever_sees_forged_blocks_and_rejects_the_tampered_original()
    {
        var (iv, ciphertext) = EncryptCbc("attack at dawn");
        var seen = new List<byte[]>();

        PaddingOracleAttack.Decrypt(iv, ciphertext, (i, c) => { seen.Add(c); return PaddingOracle(i, c); });
        var tampered = ciphertext.ToArray();
        tampered[^1] ^= 0x01;

        seen.Should().OnlyContain(c => c.Length == 16, "the attack asks about one block at a time, behind a forged IV");
        PaddingOracle(iv, tampered).Should().BeFalse(
            "flipping a bit of the last block scrambles the whole decrypted block, so its padding is (almost surely) invalid");
    }

    [Theory]
    [InlineData(16, 17, "a ciphertext that is not a whole number of blocks")]
    [InlineData(16, 0, "an empty ciphertext")]
    [InlineData(8, 32, "an IV that is not one block")]
    public void The_padding_oracle_attack_validates_its_input(int ivLength, int ciphertextLength, string what)
    {
        var act = () => PaddingOracleAttack.Decrypt(new byte[ivLength], new byte[ciphertextLength], PaddingOracle);

        act.Should().Throw<ArgumentException>($"the attack is given {what}");
        _oracleCalls.Should().Be(0, "bad input is rejected before any query");
    }

    [Fact]
    public void Reusing_a_nonce_reveals_the_second_message_from_the_first()
    {
        var nonce = RandomNumberGenerator.GetBytes(8);
        var known = Encoding.UTF8.GetBytes("GET /index.html HTTP/1.1\r\nHost: bank.example\r\n");
        var secret = Encoding.UTF8.GetBytes("POST /login HTTP/1.1\r\npassword=hunter2&user=al");
        var knownCiphertext = EncryptCtr(nonce, known);
        var secretCiphertext = EncryptCtr(nonce, secret); // the bug: same key, same nonce

        var recovered = KeystreamReuse.RecoverPlaintext(known, knownCiphertext, secretCiphertext);

        recovered.Should().Equal(secret, "C1 xor C2 = P1 xor P2, so P2 = C2 xor C1 xor P1 without the key");
    }

    [Fact]
    public void Keystream_reuse_recovers_only_as_far_as_the_known_plaintext_reaches()
    {
        var nonce = RandomNumberGenerator.GetBytes(8);
        var known = Encoding.UTF8.GetBytes("short known");
        var secret = Encoding.UTF8.GetBytes("a much longer secret message");

        var recovered = KeystreamReuse.RecoverPlaintext(known, EncryptCtr(nonce, known), EncryptCtr(nonce, secret));

        recovered.Should().Equal(secret.Take(known.Length), "the keystream is known only where the known plaintext covers it");
    }

    [Fact]
    public void Keystream_reuse_rejects_a_known_pair_of_different_lengths()
    {
        var act = () => KeystreamReuse.RecoverPlaintext(new byte[10], new byte[11], new byte[10]);

        act.Should().Throw<ArgumentException>("a plaintext and its stream-cipher ciphertext always have the same length");
    }

    [Fact]
    public void The_fix_AEAD_round_trips_with_a_fresh_nonce_each_time()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var message = Encoding.UTF8.GetBytes("attack at dawn");

        var first = AuthenticatedEncryption.Seal(key, message);
        var second = AuthenticatedEncryption.Seal(key, message);

        first.Should().HaveCount(12 + message.Length + 16, "nonce, ciphertext, tag");
        first.Take(12).Should().NotEqual(second.Take(12), "a random nonce per message: never the keystream reuse above");
        AuthenticatedEncryption.Open(key, first).Should().Equal(message, "the right key opens it");
    }

    [Theory]
    [InlineData(0, "the nonce")]
    [InlineData(14, "the ciphertext")]
    [InlineData(-1, "the tag")]
    public void The_fix_AEAD_rejects_any_tampering_before_decrypting(int index, string part)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedMessage = AuthenticatedEncryption.Seal(key, Encoding.UTF8.GetBytes("attack at dawn"));
        sealedMessage[index < 0 ? sealedMessage.Length + index : index] ^= 0x01;

        var act = () => AuthenticatedEncryption.Open(key, sealedMessage);

        act.Should().Throw<AuthenticationTagMismatchException>(
            $"one flipped bit in {part} fails the tag: one uniform error, nothing for an oracle to distinguish");
    }

    [Fact]
    public void The_fix_AEAD_rejects_input_too_short_to_hold_a_nonce_and_tag()
    {
        var act = () => AuthenticatedEncryption.Open(RandomNumberGenerator.GetBytes(32), new byte[27]);

        act.Should().Throw<CryptographicException>("12 bytes of nonce and 16 of tag are the minimum");
    }

    [Fact]
    public void The_padding_oracle_attack_stops_asking_about_a_byte_once_it_is_confirmed()
    {
        // 12 blocks of plaintext. The right guess for each byte sits anywhere in 0..255, so an attack that stops at the
        // confirmed hit asks about 128 times per byte on average (about 24 600 calls here, give or take 1 100); one that
        // always tries all 256 guesses asks 256 times per byte. The limit, 192 per byte, is more than 12 standard
        // deviations above the average: a correct attack never reaches it, whatever the random key.
        var secret = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 5))[..190];
        var (iv, ciphertext) = EncryptCbc(secret);
        var blocks = ciphertext.Length / 16;

        var recovered = PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

        Encoding.UTF8.GetString(recovered).Should().Be(secret);
        _oracleCalls.Should().BeLessThanOrEqualTo(blocks * (192 * 16 + 2),
            "once a guess is confirmed as valid padding, that byte is known: asking the other guesses too doubles the attack's noise on a real server");
    }

    [Theory]
    [InlineData(new byte[] { 0x41, 0x03, 0x03 }, "ends in 41 03 03: the last byte says 3 bytes of padding, but only two are 03")]
    [InlineData(new byte[] { 0x41, 0x00 }, "ends in 00: PKCS#7 padding is 1 to 16 bytes, never 0")]
    [InlineData(new byte[] { 0x41, 0x11 }, "ends in 11: 17 bytes of padding are more than a block")]
    public void The_padding_oracle_attack_refuses_a_ciphertext_whose_plaintext_is_not_PKCS7_padded(byte[] ending, string what)
    {
        // Encrypted without padding: the oracle still answers for forged blocks, so every byte is recovered, but the
        // recovered plaintext's padding is not PKCS#7.
        var plaintext = new byte[32];
        ending.CopyTo(plaintext, 32 - ending.Length);
        var iv = RandomNumberGenerator.GetBytes(16);
        var ciphertext = _victim.EncryptCbc(plaintext, iv, PaddingMode.None);

        var act = () => PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

        act.Should().Throw<CryptographicException>($"the recovered plaintext {what}: removing such padding would return the wrong bytes");
    }

    [Fact]
    public void The_padding_oracle_attack_refuses_an_oracle_that_never_says_valid()
    {
        // The IV ends in 01: an attack that carries on with what it has (nothing) "decrypts" to the IV itself, whose 01
        // looks like valid padding, and returns garbage instead of failing.
        var iv = new byte[16];
        iv[15] = 0x01;
        var ciphertext = RandomNumberGenerator.GetBytes(16);

        var act = () => PaddingOracleAttack.Decrypt(iv, ciphertext, (_, _) => false);

        act.Should().Throw<CryptographicException>("256 guesses without one valid padding means this is not a padding oracle: say so, do not return garbage");
    }

    [Fact]
    public void Every_method_refuses_null_by_the_parameter_name()
    {
        var block = new byte[16];
        Func<byte[], byte[], bool> oracle = PaddingOracle;

        FluentActions.Invoking(() => PaddingOracleAttack.Decrypt(null!, block, oracle)).Should().Throw<ArgumentNullException>().WithParameterName("iv");
        FluentActions.Invoking(() => PaddingOracleAttack.Decrypt(block, null!, oracle)).Should().Throw<ArgumentNullException>().WithParameterName("ciphertext");
        FluentActions.Invoking(() => PaddingOracleAttack.Decrypt(block, block, null!)).Should().Throw<ArgumentNullException>().WithParameterName("oracle");
        FluentActions.Invoking(() => KeystreamReuse.RecoverPlaintext(null!, block, block)).Should().Throw<ArgumentNullException>().WithParameterName("knownPlaintext");
        FluentActions.Invoking(() => KeystreamReuse.RecoverPlaintext(block, null!, block)).Should().Throw<ArgumentNullException>().WithParameterName("knownCiphertext");
        FluentActions.Invoking(() => KeystreamReuse.RecoverPlaintext(block, block, null!)).Should().Throw<ArgumentNullException>().WithParameterName("targetCiphertext");
        FluentActions.Invoking(() => AuthenticatedEncryption.Seal(null!, block)).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => AuthenticatedEncryption.Seal(new byte[32], null!)).Should().Throw<ArgumentNullException>().WithParameterName("plaintext");
        FluentActions.Invoking(() => AuthenticatedEncryption.Open(null!, new byte[28])).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => AuthenticatedEncryption.Open(new byte[32], null!)).Should().Throw<ArgumentNullException>().WithParameterName("sealedMessage");
        _oracleCalls.Should().Be(0, "a null argument is refused before any query");
    }

    [Theory]
    [InlineData(16, "a 16-byte key would silently give AES-128-GCM")]
    [InlineData(31, "a 31-byte key is no AES key at all")]
    public void The_fix_AEAD_takes_only_a_32_byte_key(int keyLength, string why)
    {
        var act = () => AuthenticatedEncryption.Seal(new byte[keyLength], "attack at dawn"u8.ToArray());

        act.Should().Throw<ArgumentException>($"the contract is AES-256-GCM: {why}").WithParameterName("key");
    }

    [Fact]
    public void The_padding_oracle_attack_confirms_a_hit_by_really_changing_the_byte_before_it()
    {
        // As in the false-positive test, but byte 14 of the IV is 0xFF: a confirmation that "changes" that byte by
        // setting bits it already has (OR 0xFF) sends the same block again and confirms the 02 02 false positive. In
        // each attempt the false guess comes first half the time, so 16 attempts catch it all but once in 65 536 runs.
        var secret = Encoding.UTF8.GetBytes("AAAAAAAAAAAAAA\u0002\u0002" + "tail");
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var iv = RandomNumberGenerator.GetBytes(16);
            iv[14] = 0xFF;
            var ciphertext = _victim.EncryptCbc(secret, iv, PaddingMode.PKCS7);

            var recovered = PaddingOracleAttack.Decrypt(iv, ciphertext, PaddingOracle);

            recovered.Should().Equal(secret, "the confirming query must differ from the hit in the byte before the last");
        }
    }
}
