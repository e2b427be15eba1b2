using System.Buffers.Text;
using System.Security.Cryptography;

namespace Koans.Security.TokensAndSecrets;

/// <summary>Reference solution for security.tokens-and-secrets (tokens).</summary>
public sealed class ApiTokenStore
{
    private const string Prefix = "kt_";
    private const int IdBytes = 8;
    private const int SecretBytes = 32;
    // "kt_" + 16 hex + "_" + 43 base64url characters.
    private const int TokenLength = 3 + IdBytes * 2 + 1 + 43;

    private readonly object gate = new();
    private readonly List<StoredToken> rows = [];
    private readonly Dictionary<string, StoredToken> byId = new(StringComparer.Ordinal);

    public IReadOnlyList<StoredToken> Stored
    {
        get
        {
            lock (gate)
            {
                return rows.ToArray();
            }
        }
    }

    public string Issue(string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        Span<byte> secret = stackalloc byte[SecretBytes];
        try
        {
            lock (gate)
            {
                string id;
                do
                {
                    id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
                }
                while (byId.ContainsKey(id));

                RandomNumberGenerator.Fill(secret);
                var row = new StoredToken(id, owner, SHA256.HashData(secret));
                rows.Add(row);
                byId.Add(id, row);
                return $"{Prefix}{id}_{Base64Url.EncodeToString(secret)}";
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    public string? Authenticate(string? presentedToken)
    {
        // Shape first: the length, prefix and id are public, so returning early on them leaks nothing secret.
        if (presentedToken is not { Length: TokenLength } || !presentedToken.StartsWith(Prefix, StringComparison.Ordinal)
            || presentedToken[3 + IdBytes * 2] != '_')
        {
            return null;
        }

        var id = presentedToken.Substring(3, IdBytes * 2);
        Span<byte> secret = stackalloc byte[SecretBytes];
        var encoded = presentedToken.AsSpan(4 + IdBytes * 2);
        // Validate first: despite its name, TryDecodeFromChars throws FormatException on characters outside the alphabet.
        if (!Base64Url.IsValid(encoded, out var length) || length != SecretBytes
            || !Base64Url.TryDecodeFromChars(encoded, secret, out var written) || written != SecretBytes)
        {
            return null;
        }

        StoredToken? row;
        lock (gate)
        {
            byId.TryGetValue(id, out row);
        }

        // Hash even when the id is unknown, so both paths do the same work.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(secret, hash);
        CryptographicOperations.ZeroMemory(secret);
        return row is not null && CryptographicOperations.FixedTimeEquals(hash, row.SecretHash) ? row.Owner : null;
    }
}
