using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Koans.Crypto.Fernet;

public class FernetCipherTests
{
    // The key every vector in github.com/fernet/spec uses (generate.json, verify.json, invalid.json: "secret").
    private const string SpecSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

    // fernet/spec generate.json (the version-128 case) and verify.json: the same token, src "hello".
    private const string SpecToken =
        "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

    private static FakeTimeProvider ClockAt(string isoTime) => new(DateTimeOffset.Parse(isoTime, System.Globalization.CultureInfo.InvariantCulture));

    // fernet/spec generate.json: now 1985-10-26T01:20:00-07:00, iv 0..15, src "hello".
    [Fact]
    public void Encrypt_with_the_spec_IV_and_time_reproduces_generate_json()
    {
        var fernet = new FernetCipher(SpecSecret, ClockAt("1985-10-26T01:20:00-07:00"));

        var token = fernet.Encrypt("hello"u8, Enumerable.Range(0, 16).Select(i => (byte)i).ToArray());

        token.Should().Be(SpecToken, "generate.json gives this token for the spec's key, IV, time and \"hello\"");
    }

    // fernet/spec verify.json: now 1985-10-26T01:20:01-07:00, ttl_sec 60, src "hello".
    [Fact]
    public void Decrypt_accepts_the_verify_json_token_within_its_time_to_live()
    {
        var fernet = new FernetCipher(SpecSecret, ClockAt("1985-10-26T01:20:01-07:00"));

        Encoding.UTF8.GetString(fernet.Decrypt(SpecToken, TimeSpan.FromSeconds(60))).Should().Be("hello",
            "verify.json: one second after it was made, with a 60-second TTL, the token decrypts to \"hello\"");
    }

    // fernet/spec invalid.json: every case, in file order (ttl_sec 60, secret as above). Each must be rejected.
    [Theory]
    [InlineData("incorrect mac",
        "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("too short", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==", "1985-10-26T01:20:01-07:00")]
    [InlineData("invalid base64",
        "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("payload size not multiple of block size",
        "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("payload padding error",
        "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("far-future TS (unacceptable clock skew)",
        "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("expired TTL",
        "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
        "1985-10-26T01:21:31-07:00")]
    [InlineData("incorrect IV (causes padding error)",
        "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("trailing characters after b64 padding",
        "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==trailingdata",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("invalid characters in b64",
        "*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
        "1985-10-26T01:20:01-07:00")]
    [InlineData("invalid non-urlsafe characters in b64",
        "gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
        "1985-10-26T01:20:01-07:00")]
    public void Decrypt_rejects_every_invalid_json_case(string description, string token, string now)
    {
        var fernet = new FernetCipher(SpecSecret, ClockAt(now));

        var act = () => fernet.Decrypt(token, TimeSpan.FromSeconds(60));

        act.Should().Throw<InvalidTokenException>($"invalid.json case \"{description}\" must be rejected");
    }

    [Fact]
    public void Encrypt_then_Decrypt_round_trips_with_a_random_IV()
    {
        var fernet = new FernetCipher(FernetCipher.GenerateKey(), new FakeTimeProvider());

        var token = fernet.Encrypt("attack at dawn"u8);

        token.Should().StartWith("gAAAAA", "every token starts with version 0x80 and a timestamp's high zero bytes");
        fernet.Decrypt(token).Should().Equal("attack at dawn"u8.ToArray());
    }

    [Fact]
    public void Encrypting_the_same_message_twice_gives_different_tokens()
    {
        var fernet = new FernetCipher(FernetCipher.GenerateKey(), new FakeTimeProvider());

        fernet.Encrypt("same"u8).Should().NotBe(fernet.Encrypt("same"u8),
            "each token has a fresh random IV, so equal plaintexts do not give equal tokens");
    }

    [Fact]
    public void A_token_expires_when_its_time_to_live_has_passed()
    {
        var clock = new FakeTimeProvider();
        var fernet = new FernetCipher(FernetCipher.GenerateKey(), clock);
        var token = fernet.Encrypt("session"u8);

        clock.Advance(TimeSpan.FromSeconds(61));
        var act = () => fernet.Decrypt(token, TimeSpan.FromSeconds(60));

        act.Should().Throw<InvalidTokenException>("61 seconds have passed and the TTL is 60");
    }

    [Fact]
    public void Without_a_time_to_live_an_old_token_still_decrypts()
    {
        var clock = new FakeTimeProvider();
        var fernet = new FernetCipher(FernetCipher.GenerateKey(), clock);
        var token = fernet.Encrypt("archived"u8);

        clock.Advance(TimeSpan.FromDays(365));

        fernet.Decrypt(token).Should().Equal("archived"u8.ToArray(), "no TTL means no expiry check");
    }

    [Fact]
    public void A_token_from_an_issuer_whose_clock_runs_30_seconds_ahead_is_accepted()
    {
        var key = FernetCipher.GenerateKey();
        var issuerClock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 30, TimeSpan.Zero));
        var verifierClock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var token = new FernetCipher(key, issuerClock).Encrypt("hi"u8);

        new FernetCipher(key, verifierClock).Decrypt(token, TimeSpan.FromSeconds(60)).Should().Equal("hi"u8.ToArray(),
            "a timestamp up to 60 seconds in the future is clock skew, not an attack");
    }

    [Fact]
    public void Decrypt_rejects_a_token_made_under_another_key()
    {
        var clock = new FakeTimeProvider();
        var token = new FernetCipher(FernetCipher.GenerateKey(), clock).Encrypt("secret"u8);

        var act = () => new FernetCipher(FernetCipher.GenerateKey(), clock).Decrypt(token);

        act.Should().Throw<InvalidTokenException>("the HMAC is checked under this cipher's signing key");
    }

    [Fact]
    public void GenerateKey_gives_32_random_bytes_in_url_safe_base64()
    {
        var key = FernetCipher.GenerateKey();

        key.Should().HaveLength(44).And.EndWith("=").And.NotContainAny("+", "/");
        Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/')).Should().HaveCount(32);
        FernetCipher.GenerateKey().Should().NotBe(key, "keys come from RandomNumberGenerator");
    }

    // pyca/cryptography's fernet.py (the reference implementation Python users run) rejects when
    // "timestamp + ttl < current_time" and when "current_time + _MAX_CLOCK_SKEW < timestamp": both bounds are inclusive.
    [Fact]
    public void The_time_to_live_and_the_clock_skew_are_inclusive_bounds()
    {
        var key = FernetCipher.GenerateKey();
        var madeAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var token = new FernetCipher(key, new FakeTimeProvider(madeAt)).Encrypt("edge"u8);
        byte[] DecryptAt(int secondsAfter) =>
            new FernetCipher(key, new FakeTimeProvider(madeAt.AddSeconds(secondsAfter))).Decrypt(token, TimeSpan.FromSeconds(60));

        DecryptAt(60).Should().Equal("edge"u8.ToArray(), "exactly 60 seconds old with a 60-second TTL is still valid");
        ((Action)(() => DecryptAt(61))).Should().Throw<InvalidTokenException>("61 seconds old is past a 60-second TTL");
        DecryptAt(-60).Should().Equal("edge"u8.ToArray(), "exactly 60 seconds in the future is the largest skew allowed");
        ((Action)(() => DecryptAt(-61))).Should().Throw<InvalidTokenException>("61 seconds in the future is more skew than allowed");
    }

    [Fact]
    public void Decrypt_rejects_a_version_other_than_0x80_even_with_a_valid_HMAC()
    {
        // Re-signed with the spec key's signing half (its first 16 bytes, Spec.md), so only the version is wrong.
        var data = UrlSafe(SpecToken);
        data[0] = 0x81;
        System.Security.Cryptography.HMACSHA256.HashData(UrlSafe(SpecSecret)[..16], data.AsSpan(0, data.Length - 32), data.AsSpan(data.Length - 32));
        var fernet = new FernetCipher(SpecSecret, ClockAt("1985-10-26T01:20:01-07:00"));

        var act = () => fernet.Decrypt(ToUrlSafe(data), TimeSpan.FromSeconds(60));

        act.Should().Throw<InvalidTokenException>("Spec.md defines version 0x80 only; a token of another version is not read");
    }

    [Fact]
    public void Decrypt_raises_only_InvalidTokenException_for_tokens_of_every_length()
    {
        var fernet = new FernetCipher(SpecSecret, ClockAt("1985-10-26T01:20:01-07:00"));
        var specBytes = UrlSafe(SpecToken);

        for (var length = 0; length <= 120; length++)
        {
            if (length == specBytes.Length)
            {
                continue; // the spec token itself, which is valid
            }

            // The spec token's own bytes, cut short or stretched with zeros: version and timestamp stay plausible.
            var data = new byte[length];
            specBytes.AsSpan(0, Math.Min(length, specBytes.Length)).CopyTo(data);
            var token = ToUrlSafe(data);

            var act = () => fernet.Decrypt(token, TimeSpan.FromSeconds(60));

            act.Should().Throw<InvalidTokenException>(
                $"a {length}-byte token is untrusted input: it must be refused as an invalid token, never as an index or argument error");
        }
    }

    [Fact]
    public void Decrypt_refuses_standard_base64_missing_padding_and_whitespace()
    {
        var fernet = new FernetCipher(SpecSecret, ClockAt("1985-10-26T01:20:01-07:00"));

        var standardAlphabet = () => fernet.Decrypt(SpecToken.Replace('_', '/'), TimeSpan.FromSeconds(60));
        var unpadded = () => fernet.Decrypt(SpecToken.TrimEnd('='), TimeSpan.FromSeconds(60));
        var withWhitespace = () => fernet.Decrypt(SpecToken.Insert(40, "\r\n"), TimeSpan.FromSeconds(60));

        standardAlphabet.Should().Throw<InvalidTokenException>(
            "the same bytes in the standard alphabet ('/' for '_') are not a Fernet token: one token, one spelling");
        unpadded.Should().Throw<InvalidTokenException>("Spec.md tokens are base64url with padding");
        withWhitespace.Should().Throw<InvalidTokenException>(".NET's base64 decoder skips whitespace; a Fernet decoder must not");
    }

    [Fact]
    public void Decrypt_refuses_a_null_token_by_name()
    {
        var fernet = new FernetCipher(SpecSecret, new FakeTimeProvider());

        var act = () => fernet.Decrypt(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("token");
    }

    [Theory]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")] // 16 bytes: an AES-128 key alone
    [InlineData("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4")] // the spec key without its padding
    [InlineData("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4=")] // the spec key in the standard alphabet
    public void A_key_that_is_not_32_bytes_of_url_safe_base64_is_refused(string key)
    {
        // Decrypt is called so that the stub, whose constructor only checks for null, fails by not being implemented.
        var act = () => new FernetCipher(key, new FakeTimeProvider()).Decrypt(SpecToken);

        act.Should().Throw<FormatException>("a Fernet key is 32 bytes in URL-safe base64, 44 characters with padding");
    }

    private static byte[] UrlSafe(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));

    private static string ToUrlSafe(byte[] data) => Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');
}
