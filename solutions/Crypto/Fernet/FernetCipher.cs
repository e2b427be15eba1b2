using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Koans.Crypto.Fernet;

public sealed class InvalidTokenException : CryptographicException
{
    public InvalidTokenException()
        : base("The Fernet token is invalid.")
    {
    }

    public InvalidTokenException(string message)
        : base(message)
    {
    }

    public InvalidTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Reference solution for crypto.fernet: Spec.md's construction from AES-128-CBC and HMAC-SHA256.</summary>
public sealed class FernetCipher
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);

    private const byte Version = 0x80;
    private const int HeaderLength = 1 + 8 + 16; // version, timestamp, IV
    private const int MacLength = 32;
    private const int BlockLength = 16;

    private readonly byte[] _signingKey;
    private readonly byte[] _encryptionKey;
    private readonly TimeProvider _timeProvider;

    public FernetCipher(string key, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var bytes = DecodeUrlSafe(key) ?? throw new FormatException("The Fernet key is not URL-safe base64.");
        if (bytes.Length != 32)
        {
            throw new FormatException("A Fernet key is 32 bytes.");
        }

        _signingKey = bytes[..16];
        _encryptionKey = bytes[16..];
        _timeProvider = timeProvider;
    }

    public static string GenerateKey() => EncodeUrlSafe(RandomNumberGenerator.GetBytes(32));

    public string Encrypt(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> iv = stackalloc byte[BlockLength];
        RandomNumberGenerator.Fill(iv);
        return Encrypt(plaintext, iv);
    }

    internal string Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != BlockLength)
        {
            throw new ArgumentException("The IV is 16 bytes.", nameof(iv));
        }

        using var aes = Aes.Create();
        aes.Key = _encryptionKey;
        var ciphertext = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);

        var token = new byte[HeaderLength + ciphertext.Length + MacLength];
        token[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(token.AsSpan(1, 8), (ulong)_timeProvider.GetUtcNow().ToUnixTimeSeconds());
        iv.CopyTo(token.AsSpan(9, BlockLength));
        ciphertext.CopyTo(token.AsSpan(HeaderLength));
        HMACSHA256.HashData(_signingKey, token.AsSpan(0, token.Length - MacLength), token.AsSpan(token.Length - MacLength));
        return EncodeUrlSafe(token);
    }

    public byte[] Decrypt(string token, TimeSpan? timeToLive = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        var data = DecodeUrlSafe(token) ?? throw new InvalidTokenException("The token is not URL-safe base64.");
        if (data.Length < HeaderLength + BlockLength + MacLength
            || (data.Length - HeaderLength - MacLength) % BlockLength != 0)
        {
            throw new InvalidTokenException("The token has the wrong length.");
        }

        if (data[0] != Version)
        {
            throw new InvalidTokenException("Unknown token version.");
        }

        var timestamp = BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(1, 8));
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (timestamp > (ulong)now + (ulong)MaxClockSkew.TotalSeconds)
        {
            throw new InvalidTokenException("The token's timestamp is too far in the future.");
        }

        if (timeToLive is { } ttl && (long)timestamp + (long)ttl.TotalSeconds < now)
        {
            throw new InvalidTokenException("The token has expired.");
        }

        // Encrypt-then-MAC: authenticate before touching the ciphertext, in constant time.
        Span<byte> expectedMac = stackalloc byte[MacLength];
        HMACSHA256.HashData(_signingKey, data.AsSpan(0, data.Length - MacLength), expectedMac);
        if (!CryptographicOperations.FixedTimeEquals(expectedMac, data.AsSpan(data.Length - MacLength)))
        {
            throw new InvalidTokenException("The token's HMAC does not match.");
        }

        try
        {
            using var aes = Aes.Create();
            aes.Key = _encryptionKey;
            return aes.DecryptCbc(data.AsSpan(HeaderLength, data.Length - HeaderLength - MacLength),
                data.AsSpan(9, BlockLength), PaddingMode.PKCS7);
        }
        catch (CryptographicException e)
        {
            throw new InvalidTokenException("The token's padding is invalid.", e);
        }
    }

    private static string EncodeUrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');

    // Strict: the URL-safe alphabet with its padding, nothing else. Convert.TryFromBase64Chars refuses a length that is
    // not a multiple of 4 and misplaced '=', but it skips whitespace and takes '+' and '/': those become a character it
    // refuses, so one token has one spelling.
    private static byte[]? DecodeUrlSafe(string text)
    {
        var chars = text.Select(c => c switch
        {
            '-' => '+',
            '_' => '/',
            '=' => '=',
            _ when char.IsAsciiLetterOrDigit(c) => c,
            _ => '!',
        }).ToArray();
        var buffer = new byte[chars.Length];
        return Convert.TryFromBase64Chars(chars, buffer, out var written) ? buffer[..written] : null;
    }
}
