using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Koans.Security.TokensAndSecrets;

public class ApiTokenStoreTests
{
    private static readonly Regex TokenFormat = new("^kt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\\z");

    private static string SecretPart(string token) => token[20..];

    [Fact]
    public void Issue_returns_a_token_in_the_documented_format()
    {
        var token = new ApiTokenStore().Issue("alice");

        TokenFormat.IsMatch(token).Should().BeTrue($"'{token}' should be kt_, 16 hex, _, 43 base64url characters");
        Convert.FromBase64String(SecretPart(token).Replace('-', '+').Replace('_', '/') + "=").Should().HaveCount(32,
            "the secret is 32 random bytes: 256 bits nobody can guess");
    }

    [Fact]
    public void Issue_never_repeats_an_id_or_a_secret()
    {
        var store = new ApiTokenStore();

        var tokens = Enumerable.Range(0, 1_000).Select(i => store.Issue($"user{i}")).ToList();

        tokens.Select(t => t[3..19]).Should().OnlyHaveUniqueItems("ids are random 64-bit values");
        tokens.Select(SecretPart).Should().OnlyHaveUniqueItems("secrets are random 256-bit values");
    }

    [Fact]
    public void Authenticate_returns_the_owner_of_each_issued_token()
    {
        var store = new ApiTokenStore();
        var alice = store.Issue("alice");
        var bob = store.Issue("bob");

        store.Authenticate(alice).Should().Be("alice");
        store.Authenticate(bob).Should().Be("bob");
    }

    [Fact]
    public void Stored_holds_the_SHA256_of_the_secret_and_never_the_token()
    {
        var store = new ApiTokenStore();
        var token = store.Issue("alice");
        var secret = Convert.FromBase64String(SecretPart(token).Replace('-', '+').Replace('_', '/') + "=");

        var row = store.Stored.Should().ContainSingle().Subject;

        row.Should().BeEquivalentTo(new { Id = token[3..19], Owner = "alice" });
        row.SecretHash.Should().Equal(SHA256.HashData(secret), "only the SHA-256 of the 32 secret bytes is kept");
    }

    [Fact]
    public void A_leaked_table_authenticates_no_one()
    {
        var naive = new NaiveTokenStore();
        naive.Issue("alice");
        var leakedNaiveRow = naive.Stored.Single();
        naive.Authenticate(Encoding.UTF8.GetString(leakedNaiveRow.SecretHash)).Should().Be("alice",
            "the naive table stores the token itself: a database dump is a bag of working credentials");

        var store = new ApiTokenStore();
        store.Issue("alice");
        var row = store.Stored.Single();
        var fromHash = $"kt_{row.Id}_{Convert.ToBase64String(row.SecretHash).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

        store.Authenticate(fromHash).Should().BeNull("the hash is not the secret, and the secret cannot be recovered from it");
    }

    [Fact]
    public void Authenticate_refuses_one_users_id_with_another_users_secret()
    {
        var store = new ApiTokenStore();
        var alice = store.Issue("alice");
        var bob = store.Issue("bob");

        store.Authenticate(alice[..20] + SecretPart(bob)).Should().BeNull("the secret must belong to the row the id found");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("kt_")]
    [InlineData("kt_0123456789abcdef_")]
    [InlineData("kt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("kt_zzzzzzzzzzzzzzzz_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("kt_0123456789abcdef_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("Bearer kt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Authenticate_returns_null_for_anything_that_is_not_an_issued_token(string? presented)
    {
        var store = new ApiTokenStore();
        store.Issue("alice");

        var act = () => store.Authenticate(presented);

        act.Should().NotThrow("a token check is reachable by anyone; it must never turn input into an exception")
            .Which.Should().BeNull();
    }

    [Fact]
    public void Authenticate_refuses_a_token_with_one_character_changed()
    {
        var store = new ApiTokenStore();
        var token = store.Issue("alice");
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        store.Authenticate(tampered).Should().BeNull();
        store.Authenticate(token.ToUpperInvariant()).Should().BeNull("tokens are compared exactly, not case-insensitively");
        store.Authenticate(token + " ").Should().BeNull();
    }
}

public class SecretTests
{
    [Fact]
    public void A_secret_shows_redacted_to_logs_interpolation_records_and_serializers()
    {
        const string key = "sk_live_51HxQ2eKoansTestKey";
        var naive = new NaivePaymentsSettings(new Uri("https://pay.example/"), key, 30);
        naive.ToString().Should().Contain(key, "a record prints every property: one log line of the settings leaks the key");

        var settings = new PaymentsSettings(new Uri("https://pay.example/"), new Secret(key), 30);

        settings.ToString().Should().NotContain(key).And.Contain("[redacted]");
        $"{settings.ApiKey}".Should().Be("[redacted]");
        JsonSerializer.Serialize(settings).Should().NotContain(key, "a serializer sees only public properties, and a Secret has none");
        settings.ApiKey.Reveal().Should().Be(key, "the value is there for the one caller that asks for it explicitly");
    }

    [Fact]
    public void Issue_refuses_a_null_owner_by_name() =>
        FluentActions.Invoking(() => new ApiTokenStore().Issue(null!)).Should().Throw<ArgumentNullException>().WithParameterName("owner");
}

public sealed class SecretConfigurationTests : IDisposable
{
    private const string Key = "sk_live_51HxQ2eKoansTestKey";
    private readonly string directory = Directory.CreateTempSubdirectory("koans-secrets-").FullName;

    // Environment variables are process-wide: a unique prefix per test keeps parallel tests apart.
    private readonly string prefix = $"KOANS_{Guid.NewGuid():N}_";
    private readonly List<string> variables = [];

    private string Json(string json)
    {
        var path = Path.Combine(directory, "appsettings.json");
        File.WriteAllText(path, json);
        return path;
    }

    private void SetEnvironment(string name, string value)
    {
        variables.Add(prefix + name);
        Environment.SetEnvironmentVariable(prefix + name, value);
    }

    [Fact]
    public void Build_lets_the_environment_override_the_file()
    {
        var path = Json("""{ "Payments": { "Endpoint": "https://pay.example/", "ApiKey": "dev-placeholder", "TimeoutSeconds": 10 } }""");
        SetEnvironment("Payments__ApiKey", Key);

        var settings = SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix));

        settings.ApiKey.Reveal().Should().Be(Key, "the environment (or a secret store) supplies production secrets and wins over the file");
        settings.Endpoint.Should().Be(new Uri("https://pay.example/"));
        settings.TimeoutSeconds.Should().Be(10);
    }

    [Fact]
    public void ReadPayments_defaults_the_timeout_to_30_seconds()
    {
        var path = Json("""{ "Payments": { "Endpoint": "https://pay.example/" } }""");
        SetEnvironment("Payments__ApiKey", Key);

        SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix)).TimeoutSeconds.Should().Be(30);
    }

    [Fact]
    public void ReadPayments_names_a_missing_key_without_guessing_at_values()
    {
        var path = Json("""{ "Payments": { "Endpoint": "https://pay.example/" } }""");

        var act = () => SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix));

        act.Should().Throw<InvalidOperationException>().WithMessage("*Payments:ApiKey*", "the operator needs to know which setting to fix");
    }

    [Theory]
    [InlineData("Payments__TimeoutSeconds")]
    [InlineData("Payments__Endpoint")]
    public void ReadPayments_never_puts_a_misplaced_secret_into_its_error_message(string wrongPlace)
    {
        var path = Json("""{ "Payments": { "Endpoint": "https://pay.example/", "ApiKey": "placeholder" } }""");
        SetEnvironment(wrongPlace, Key);
        var configuration = SecretConfiguration.Build(path, prefix);
        if (wrongPlace.EndsWith("TimeoutSeconds", StringComparison.Ordinal))
        {
            var naive = () => NaivePaymentsSettings.Read(configuration);
            naive.Should().Throw<InvalidOperationException>().WithMessage($"*{Key}*",
                "the configuration binder quotes the value it could not convert, and exception messages go to logs");
        }

        var act = () => SecretConfiguration.ReadPayments(configuration);

        act.Should().Throw<InvalidOperationException>().Which.ToString().Should().NotContain(Key,
            "the key was pasted into the wrong setting: say which setting is wrong, never what it holds");
    }

    [Theory]
    [InlineData("http://pay.example/")]
    [InlineData("https://user:sk_live_51HxQ2eKoansTestKey@pay.example/")]
    [InlineData("/relative")]
    public void ReadPayments_refuses_an_endpoint_that_is_not_plain_https_and_does_not_echo_it(string endpoint)
    {
        var path = Json($$"""{ "Payments": { "Endpoint": "{{endpoint}}", "ApiKey": "placeholder" } }""");

        var act = () => SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix));

        act.Should().Throw<InvalidOperationException>().Which.ToString().Should().NotContain(Key)
            .And.Contain("Payments:Endpoint");
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("300", 300)]
    public void ReadPayments_accepts_a_timeout_at_either_end_of_the_range(string timeout, int seconds)
    {
        var path = Json($$"""{ "Payments": { "Endpoint": "https://pay.example/", "TimeoutSeconds": "{{timeout}}" } }""");
        SetEnvironment("Payments__ApiKey", Key);

        SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix)).TimeoutSeconds.Should().Be(seconds,
            "1 and 300 are inside the documented range, 1 to 300");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("301")]
    public void ReadPayments_refuses_a_timeout_just_outside_the_range(string timeout)
    {
        var path = Json($$"""{ "Payments": { "Endpoint": "https://pay.example/", "TimeoutSeconds": "{{timeout}}" } }""");
        SetEnvironment("Payments__ApiKey", Key);

        var act = () => SecretConfiguration.ReadPayments(SecretConfiguration.Build(path, prefix));

        act.Should().Throw<InvalidOperationException>($"{timeout} is one step outside 1 to 300").WithMessage("*Payments:TimeoutSeconds*");
    }

    [Fact]
    public void Build_refuses_a_missing_file_and_ReadPayments_a_null_configuration()
    {
        FluentActions.Invoking(() => SecretConfiguration.Build(Path.Combine(directory, "missing.json"), prefix)).Should().Throw<FileNotFoundException>(
            "the file is required: a typo in its path must not quietly start the service on environment variables alone");
        FluentActions.Invoking(() => SecretConfiguration.ReadPayments(null!)).Should().Throw<ArgumentNullException>().WithParameterName("configuration");
    }

    public void Dispose()
    {
        foreach (var variable in variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Directory.Delete(directory, recursive: true);
    }
}

public class KeyBuffersTests
{
    [Fact]
    public void UseThenZero_returns_the_result_and_zeroes_the_key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var expected = HMACSHA256.HashData(key, "message"u8);

        var tag = KeyBuffers.UseThenZero(key, k => HMACSHA256.HashData(k, "message"u8));

        tag.Should().Equal(expected, "the key was intact while it was used");
        key.Should().OnlyContain(b => b == 0, "the key is wiped as soon as it is no longer needed");
    }

    [Fact]
    public void UseThenZero_zeroes_the_key_even_when_its_use_throws()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        var act = () => KeyBuffers.UseThenZero<int>(key, _ => throw new CryptographicException("bad padding"));

        act.Should().Throw<CryptographicException>("the caller's exception passes through unchanged");
        key.Should().OnlyContain(b => b == 0, "a failure path is still a path that must wipe the key");
    }

    [Fact]
    public void UseThenZero_refuses_nulls_by_name_without_calling_anything()
    {
        var called = false;

        FluentActions.Invoking(() => KeyBuffers.UseThenZero<int>(null!, _ => { called = true; return 0; })).Should().Throw<ArgumentNullException>().WithParameterName("key");
        FluentActions.Invoking(() => KeyBuffers.UseThenZero<int>(new byte[32], null!)).Should().Throw<ArgumentNullException>().WithParameterName("use");
        called.Should().BeFalse("a null key is refused before anything uses it");
    }
}
