using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Koans.Crypto.PasswordHashing;

public sealed record PasswordPolicy(int MemoryKiB, int Iterations)
{
    public static PasswordPolicy Default { get; } = new(47104, 1);
}

/// <summary>Reference solution for crypto.password-hashing.</summary>
public static class PasswordHasher
{
    public const int SaltLength = 16;

    public const int HashLength = 32;

    // Upper bounds on what a stored string may ask for: the string is data, and data can be attacker-written.
    private const int MaxMemoryKiB = 4 * 1024 * 1024; // 4 GiB
    private const int MaxArgon2Iterations = 1_000;
    private const int MaxPbkdf2Iterations = 100_000_000;

    public static byte[] Pbkdf2Sha256(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, length);

    public static byte[] Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int iterations,
        int length)
    {
        if (salt.Length != SaltLength)
        {
            throw new ArgumentException($"Argon2id (libsodium) takes a {SaltLength}-byte salt.", nameof(salt));
        }

        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = memoryKiB,
            NumberOfPasses = iterations,
        });
        return algorithm.DeriveBytes(password, salt, length);
    }

    public static string HashArgon2id(string password, PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(policy);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Argon2id(Encoding.UTF8.GetBytes(password), salt, policy.MemoryKiB, policy.Iterations, HashLength);
        return string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={policy.MemoryKiB},t={policy.Iterations},p=1${B64(salt)}${B64(hash)}");
    }

    public static string HashPbkdf2(string password, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        // Pbkdf2 refuses iterations < 1 with ArgumentOutOfRangeException itself.
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Pbkdf2Sha256(Encoding.UTF8.GetBytes(password), salt, iterations, HashLength);
        return string.Create(CultureInfo.InvariantCulture, $"$pbkdf2-sha256$i={iterations}${B64(salt)}${B64(hash)}");
    }

    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parsed = Parse(stored);
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var candidate = parsed.Algorithm == "argon2id"
            ? Argon2id(passwordBytes, parsed.Salt, parsed.MemoryKiB, parsed.Iterations, parsed.Hash.Length)
            : Pbkdf2Sha256(passwordBytes, parsed.Salt, parsed.Iterations, parsed.Hash.Length);
        return CryptographicOperations.FixedTimeEquals(candidate, parsed.Hash);
    }

    public static bool NeedsRehash(string stored, PasswordPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var parsed = Parse(stored);
        return parsed.Algorithm != "argon2id"
            || parsed.MemoryKiB < policy.MemoryKiB
            || parsed.Iterations < policy.Iterations
            || parsed.Hash.Length < HashLength;
    }

    private sealed record Parsed(string Algorithm, int MemoryKiB, int Iterations, byte[] Salt, byte[] Hash);

    private static Parsed Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored) || stored[0] != '$')
        {
            throw new FormatException("A stored password hash starts with '$'.");
        }

        var parts = stored.Split('$');
        switch (parts[1])
        {
            case "argon2id" when parts.Length == 6:
            {
                if (parts[2] != "v=19")
                {
                    throw new FormatException("Only Argon2 version 19 (0x13) is supported.");
                }

                var parameters = parts[3].Split(',');
                if (parameters.Length != 3)
                {
                    throw new FormatException("Argon2 parameters are m=...,t=...,p=....");
                }

                var memory = Number(parameters[0], "m=", 8, MaxMemoryKiB);
                var iterations = Number(parameters[1], "t=", 1, MaxArgon2Iterations);
                _ = Number(parameters[2], "p=", 1, 1); // libsodium (NSec) computes one lane only.
                var salt = Unb64(parts[4]);
                if (salt.Length != SaltLength)
                {
                    throw new FormatException($"Argon2id salts here are {SaltLength} bytes.");
                }

                return new Parsed("argon2id", memory, iterations, salt, Hash(parts[5]));
            }
            case "pbkdf2-sha256" when parts.Length == 5:
            {
                var iterations = Number(parts[2], "i=", 1, MaxPbkdf2Iterations);
                return new Parsed("pbkdf2-sha256", 0, iterations, Unb64(parts[3]), Hash(parts[4]));
            }
            default:
                throw new FormatException("Expected $argon2id$v=19$m=,t=,p=$salt$hash or $pbkdf2-sha256$i=$salt$hash.");
        }
    }

    private static byte[] Hash(string text)
    {
        var hash = Unb64(text);
        if (hash.Length < 16)
        {
            throw new FormatException("A stored hash shorter than 16 bytes is not acceptable.");
        }

        return hash;
    }

    private static int Number(string part, string prefix, int min, int max)
    {
        if (!part.StartsWith(prefix, StringComparison.Ordinal)
            || !int.TryParse(part.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            throw new FormatException($"Expected {prefix}<{min}..{max}>, found '{part}'.");
        }

        return value;
    }

    // PHC strings use standard base64 without padding.
    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] Unb64(string text)
    {
        // A length of 4k+1 cannot be base64; FromBase64String says so with a FormatException of its own.
        if (text.Length == 0 || text.Contains('='))
        {
            throw new FormatException("Expected unpadded base64.");
        }

        return Convert.FromBase64String(text + new string('=', (4 - text.Length % 4) % 4));
    }
}
