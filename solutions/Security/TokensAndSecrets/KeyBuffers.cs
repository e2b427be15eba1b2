using System.Security.Cryptography;

namespace Koans.Security.TokensAndSecrets;

/// <summary>Reference solution for security.tokens-and-secrets (key buffers).</summary>
public static class KeyBuffers
{
    public static T UseThenZero<T>(byte[] key, Func<byte[], T> use)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(use);
        try
        {
            return use(key);
        }
        finally
        {
            // ZeroMemory is never elided by the JIT, unlike Array.Clear on a buffer that is not read again. It cannot
            // reach copies: the GC may have moved the array, and anything 'use' copied is its own business.
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
