namespace Koans.Crypto.Jwt;

/// <summary>
/// Thrown for every token that must not be trusted: malformed, unsigned, signed with a disallowed algorithm or the
/// wrong key, tampered with, expired or not yet valid. Callers catch one type and answer 401; the message is for logs.
/// (This class is given: the kata is the code that throws it.)
/// </summary>
public sealed class SecurityTokenException(string message, Exception? innerException = null)
    : Exception(message, innerException);
