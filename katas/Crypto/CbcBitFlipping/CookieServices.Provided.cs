using System.Security.Cryptography;
using System.Text;

namespace Koans.Crypto.CbcBitFlipping;

/// <summary>
/// A web service that keeps the user's profile in an encrypted cookie. The cookie's plaintext is
/// <c>Prefix + quote(userData) + Suffix</c>, where quote replaces <c>;</c> with <c>%3B</c> and <c>=</c> with <c>%3D</c>,
/// so a user cannot type <c>;admin=true;</c> into it. The format is public (Kerckhoffs): only the key is secret.
/// </summary>
public interface ICookieService
{
    /// <summary>The fixed text before the user's data, e.g. <c>comment1=cooking%20MCs;userdata=</c>.</summary>
    string Prefix { get; }

    /// <summary>Encrypts a cookie for <paramref name="userData"/> (quoted first).</summary>
    byte[] Issue(string userData);

    /// <summary>Decrypts <paramref name="cookie"/> and returns whether one of its <c>;</c>-separated fields is
    /// exactly <c>admin=true</c>.</summary>
    /// <exception cref="CryptographicException">The cookie cannot be decrypted (bad padding, bad length, or, for an
    /// authenticated cookie, any tampering: <see cref="AuthenticationTagMismatchException"/>).</exception>
    bool IsAdmin(byte[] cookie);
}

/// <summary>Shared plaintext handling (cryptopals set 2 challenge 16).</summary>
public abstract class CookieServiceBase(string prefix) : ICookieService
{
    public const string Suffix = ";comment2=%20like%20a%20pound%20of%20bacon";

    public string Prefix { get; } = prefix;

    public byte[] Issue(string userData)
    {
        var quoted = userData.Replace(";", "%3B", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);
        return Encrypt(Encoding.Latin1.GetBytes(Prefix + quoted + Suffix));
    }

    public bool IsAdmin(byte[] cookie) =>
        Encoding.Latin1.GetString(Decrypt(cookie)).Split(';').Contains("admin=true", StringComparer.Ordinal);

    protected abstract byte[] Encrypt(byte[] plaintext);

    protected abstract byte[] Decrypt(byte[] cookie);
}

/// <summary>The vulnerable service: AES-128-CBC with a random IV, cookie = IV (16) || ciphertext. Confidential, but
/// not authenticated.</summary>
public sealed class CbcCookieService(string prefix) : CookieServiceBase(prefix), IDisposable
{
    private readonly Aes _aes = CreateAes();

    private static Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(16);
        return aes;
    }

    protected override byte[] Encrypt(byte[] plaintext)
    {
        var iv = RandomNumberGenerator.GetBytes(16);
        return [.. iv, .. _aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7)];
    }

    protected override byte[] Decrypt(byte[] cookie)
    {
        if (cookie.Length < 32 || cookie.Length % 16 != 0)
        {
            throw new CryptographicException("A CBC cookie is an IV and at least one whole block.");
        }

        return _aes.DecryptCbc(cookie.AsSpan(16), cookie.AsSpan(0, 16), PaddingMode.PKCS7);
    }

    public void Dispose() => _aes.Dispose();
}

/// <summary>The fix: AES-128-GCM, cookie = nonce (12) || ciphertext || tag (16). Any changed bit fails the tag.</summary>
public sealed class GcmCookieService(string prefix) : CookieServiceBase(prefix), IDisposable
{
    private readonly AesGcm _aes = new(RandomNumberGenerator.GetBytes(16), 16);

    protected override byte[] Encrypt(byte[] plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        _aes.Encrypt(nonce, plaintext, ciphertext, tag);
        return [.. nonce, .. ciphertext, .. tag];
    }

    protected override byte[] Decrypt(byte[] cookie)
    {
        if (cookie.Length < 28)
        {
            throw new CryptographicException("A GCM cookie is a nonce, a ciphertext and a tag.");
        }

        var plaintext = new byte[cookie.Length - 28];
        _aes.Decrypt(cookie.AsSpan(0, 12), cookie.AsSpan(12, plaintext.Length), cookie.AsSpan(^16), plaintext);
        return plaintext;
    }

    public void Dispose() => _aes.Dispose();
}
