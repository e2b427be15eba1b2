using Microsoft.Extensions.Configuration;

namespace Koans.Security.TokensAndSecrets;

/// <summary>
/// Kata security.tokens-and-secrets, part 3: secrets from configuration and the environment, never from code, and
/// never in an error message.
/// </summary>
public static class SecretConfiguration
{
    /// <summary>
    /// Configuration from the JSON file <paramref name="jsonPath"/> (required), overridden by environment variables
    /// whose names start with <paramref name="environmentPrefix"/> (the prefix removed; <c>__</c> separates sections, so
    /// <c>&lt;prefix&gt;Payments__ApiKey</c> sets <c>Payments:ApiKey</c>). The file holds defaults; production secrets
    /// come from the environment or a secret store and win.
    /// </summary>
    /// <exception cref="FileNotFoundException">The JSON file does not exist.</exception>
    public static IConfiguration Build(string jsonPath, string environmentPrefix) => throw new NotImplementedException();

    /// <summary>
    /// Reads <c>Payments:Endpoint</c> (an absolute https URI with no user name or password in it), <c>Payments:ApiKey</c>
    /// (required, non-empty) and <c>Payments:TimeoutSeconds</c> (1 to 300; 30 when absent).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="configuration"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid. The message names the setting's key
    /// and what is wrong, and never contains any configured value: a value in the wrong place may well be a secret.</exception>
    public static PaymentsSettings ReadPayments(IConfiguration configuration) => throw new NotImplementedException();
}
