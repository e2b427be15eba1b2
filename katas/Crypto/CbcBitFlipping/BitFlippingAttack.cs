namespace Koans.Crypto.CbcBitFlipping;

/// <summary>
/// Kata crypto.cbc-bit-flipping: make an encrypted cookie say <c>;admin=true;</c> without the key (cryptopals set 2,
/// challenge 16).
/// </summary>
/// <remarks>
/// <para>The service quotes <c>;</c> and <c>=</c> in what you type, so you cannot write the field directly. But CBC
/// encryption is not integrity: the service decrypts whatever bytes it is given. Work out what changing one bit of a
/// ciphertext block does to the plaintext after decryption, in that block and in the next one.</para>
/// <para>Cookies are laid out as the service documents (<see cref="CbcCookieService"/>: IV, then 16-byte blocks).
/// The prefix is public (<see cref="ICookieService.Prefix"/>) and is not always a whole number of blocks. Budget:
/// at most two cookies issued and at most two <see cref="ICookieService.IsAdmin"/> calls.</para>
/// </remarks>
public static class BitFlippingAttack
{
    /// <summary>
    /// Returns a cookie, derived from cookies the service issued, that <paramref name="service"/> decrypts to a
    /// plaintext with an <c>admin=true</c> field.
    /// </summary>
    /// <returns>The forged cookie, in the service's own format.</returns>
    public static byte[] ForgeAdminCookie(ICookieService service) => throw new NotImplementedException();
}
