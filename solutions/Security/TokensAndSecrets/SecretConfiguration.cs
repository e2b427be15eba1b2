using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Koans.Security.TokensAndSecrets;

/// <summary>Reference solution for security.tokens-and-secrets (configuration).</summary>
public static class SecretConfiguration
{
    private const string EndpointKey = "Payments:Endpoint";
    private const string ApiKeyKey = "Payments:ApiKey";
    private const string TimeoutKey = "Payments:TimeoutSeconds";

    // Later sources win: the file gives defaults, the environment (set by the deployment, or a secret store in front of
    // it) gives the real values. The file must not hold production secrets at all.
    public static IConfiguration Build(string jsonPath, string environmentPrefix) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.GetFullPath(jsonPath), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables(environmentPrefix)
            .Build();

    public static PaymentsSettings ReadPayments(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // Every message names the key and the rule, never the value: a value in the wrong setting may be a secret.
        var endpointText = configuration[EndpointKey];
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps
            || endpoint.UserInfo.Length > 0)
        {
            throw new InvalidOperationException($"{EndpointKey} must be an absolute https URI without a user name or password.");
        }

        var apiKey = configuration[ApiKeyKey];
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new InvalidOperationException($"{ApiKeyKey} is required: set it in the environment or a secret store.");
        }

        // Not GetValue<int>: the binder's conversion error quotes the value it could not convert.
        var timeoutText = configuration[TimeoutKey];
        var timeout = 30;
        if (timeoutText is not null
            && (!int.TryParse(timeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out timeout) || timeout is < 1 or > 300))
        {
            throw new InvalidOperationException($"{TimeoutKey} must be a whole number of seconds from 1 to 300.");
        }

        return new PaymentsSettings(endpoint, new Secret(apiKey), timeout);
    }
}
