namespace Koans.Crypto.PasswordHashing;

/// <summary>The Argon2id cost a new password hash must have: memory in KiB and passes over it (parallelism is 1).</summary>
/// <param name="MemoryKiB">Argon2 memory cost m, in kibibytes.</param>
/// <param name="Iterations">Argon2 time cost t, the number of passes.</param>
public sealed record PasswordPolicy(int MemoryKiB, int Iterations)
{
    /// <summary>OWASP Password Storage Cheat Sheet's first Argon2id option: m = 47104 KiB (46 MiB), t = 1, p = 1.</summary>
    public static PasswordPolicy Default { get; } = new(47104, 1);
}

/// <summary>
/// Kata crypto.password-hashing: store passwords with slow, salted, memory-hard hashes, as self-describing strings.
/// </summary>
/// <remarks>
/// <para>A password hash must be <em>slow</em> (an attacker with the database tries billions of guesses) and
/// <em>salted</em> (one guess must not test every user at once). SHA-256 is neither slow nor salted.</para>
/// <list type="bullet">
/// <item><description>PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2): slow by iteration count only, cheap on GPUs; the
/// password KDF NIST approves (SP 800-132), so FIPS 140 environments can use it where Argon2 is not available. The
/// tests use RFC 7914 section 11's vectors.</description></item>
/// <item><description>Argon2id (RFC 9106): memory-hard, the current first choice (OWASP Password Storage Cheat Sheet).
/// Here with version 0x13, exactly one lane (p = 1), exactly 16-byte salts, and no secret or associated data: the
/// parameters of libsodium's <c>crypto_pwhash_argon2id</c>, whose test vectors the tests use. Use a vetted
/// implementation: the project already references one.</description></item>
/// <item><description>The stored string carries everything needed to verify it later (PHC string format):
/// <c>$argon2id$v=19$m=47104,t=1,p=1$&lt;salt&gt;$&lt;hash&gt;</c> and <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>,
/// salt and hash in standard base64 <em>without</em> '=' padding. Salts are 16 bytes from a cryptographically secure
/// random source; hashes are 32 bytes.</description></item>
/// <item><description>Verify recomputes with the parameters in the string. The comparison must not reveal how much of
/// the hash matched.</description></item>
/// <item><description>When the policy rises, old hashes keep working; <see cref="NeedsRehash"/> tells the login code to
/// rehash the password it just verified.</description></item>
/// </list>
/// </remarks>
public static class PasswordHasher
{
    /// <summary>Length of a generated salt: 16 bytes (the only length libsodium's Argon2id takes).</summary>
    public const int SaltLength = 16;

    /// <summary>Length of a generated hash: 32 bytes.</summary>
    public const int HashLength = 32;

    /// <summary>PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2): <paramref name="length"/> bytes.</summary>
    public static byte[] Pbkdf2Sha256(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations, int length) =>
        throw new NotImplementedException();

    /// <summary>Argon2id, version 0x13, one lane, no secret or associated data: <paramref name="length"/> bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="salt"/> is not exactly <see cref="SaltLength"/> bytes.</exception>
    public static byte[] Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int memoryKiB, int iterations,
        int length) => throw new NotImplementedException();

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with Argon2id under <paramref name="policy"/> and a fresh
    /// random salt: <c>$argon2id$v=19$m=&lt;MemoryKiB&gt;,t=&lt;Iterations&gt;,p=1$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
    public static string HashArgon2id(string password, PasswordPolicy policy) => throw new NotImplementedException();

    /// <summary>Hashes <paramref name="password"/> (UTF-8) with PBKDF2-HMAC-SHA256 and a fresh random salt:
    /// <c>$pbkdf2-sha256$i=&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>.</summary>
    public static string HashPbkdf2(string password, int iterations) => throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="password"/> matches <paramref name="stored"/> (either format); false for a wrong
    /// password or a tampered hash.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="stored"/> is not one of the two formats, has a bad number or
    /// bad base64 (standard alphabet, no '=' padding, nothing empty), an unsupported version or parallelism, a hash
    /// shorter than 16 bytes, or absurd costs (the string may come from an attacker who can write to the database:
    /// never let it pick a 1 TiB memory cost, or a 1-byte hash that one guess in 256 matches).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="password"/> is null.</exception>
    public static bool Verify(string password, string stored) => throw new NotImplementedException();

    /// <summary>
    /// True when <paramref name="stored"/> is weaker than <paramref name="policy"/>: any PBKDF2 hash (Argon2id is the
    /// policy's algorithm), or an Argon2id hash with less memory or fewer passes.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="stored"/> is malformed, as for <see cref="Verify"/>.</exception>
    public static bool NeedsRehash(string stored, PasswordPolicy policy) => throw new NotImplementedException();
}
