namespace Koans.Security.TokensAndSecrets;

/// <summary>
/// Kata security.tokens-and-secrets, part 2: a secret value that does not leak by accident.
/// </summary>
/// <remarks>
/// Logs, exception messages, debugger displays and serializers call <see cref="ToString"/> or read public properties.
/// A <see cref="Secret"/> shows <c>[redacted]</c> to all of them and exposes its value only through an explicit
/// <see cref="Reveal"/>, which is easy to search for in review. It has no public properties, so a serializer writes
/// nothing of it.
/// </remarks>
public sealed class Secret
{
    private readonly string value;

    public Secret(string value) => this.value = value ?? throw new ArgumentNullException(nameof(value));

    /// <summary>The secret itself, for the one place that needs it (an Authorization header).</summary>
    public string Reveal() => throw new NotImplementedException();

    /// <summary>Always <c>[redacted]</c>.</summary>
    public override string ToString() => throw new NotImplementedException();
}
