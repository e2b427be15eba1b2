using System.Text;

namespace Koans.Crypto.CbcBitFlipping;

/// <summary>Reference solution for crypto.cbc-bit-flipping.</summary>
public static class BitFlippingAttack
{
    private const int BlockSize = 16;
    private const int IvLength = 16;

    // The payload, with the two bytes the service would quote replaced by neighbours one bit away:
    // ':' (0x3a) ^ 0x01 = ';' (0x3b), '<' (0x3c) ^ 0x01 = '=' (0x3d).
    private const string Payload = ":admin<true:";
    private static readonly int[] FlipPositions = [0, 6, 11];

    public static byte[] ForgeAdminCookie(ICookieService service)
    {
        // Fill the prefix's last block, then add one whole sacrificial block whose ciphertext we will edit, then the
        // payload block. In CBC, P[i] = D(C[i]) xor C[i-1]: flipping a bit of C[i-1] flips the same bit of P[i] (and
        // scrambles P[i-1], which is why that block is sacrificial).
        var fill = (BlockSize - service.Prefix.Length % BlockSize) % BlockSize;
        var userData = new string('A', fill + BlockSize) + Payload;
        var cookie = service.Issue(userData);

        var payloadOffset = IvLength + service.Prefix.Length + fill + BlockSize; // in the cookie, IV included
        var forged = cookie.ToArray();
        foreach (var position in FlipPositions)
        {
            forged[payloadOffset - BlockSize + position] ^= 0x01;
        }

        return forged;
    }
}
