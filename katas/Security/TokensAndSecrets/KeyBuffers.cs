namespace Koans.Security.TokensAndSecrets;

/// <summary>
/// Kata security.tokens-and-secrets, part 4: key material that does not outlive its use.
/// </summary>
public static class KeyBuffers
{
    /// <summary>
    /// Calls <paramref name="use"/> with <paramref name="key"/> and returns its result; afterwards, whether
    /// <paramref name="use"/> returned or threw, every byte of <paramref name="key"/> is zero, in a way the JIT may not
    /// optimize away. A key left in memory ends up in crash dumps, swap and core files.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static T UseThenZero<T>(byte[] key, Func<byte[], T> use) => throw new NotImplementedException();
}
