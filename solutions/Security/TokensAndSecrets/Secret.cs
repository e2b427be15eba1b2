namespace Koans.Security.TokensAndSecrets;

/// <summary>Reference solution for security.tokens-and-secrets (a redacting secret).</summary>
public sealed class Secret
{
    private readonly string value;

    public Secret(string value) => this.value = value ?? throw new ArgumentNullException(nameof(value));

    public string Reveal() => value;

    // Logs, interpolation, record printing and the debugger all come here. No public properties: serializers see nothing.
    public override string ToString() => "[redacted]";
}
