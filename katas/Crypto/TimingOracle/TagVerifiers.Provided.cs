using System.Security.Cryptography;

namespace Koans.Crypto.TimingOracle;

/// <summary>What a verifier's caller can observe: the verdict, and how long the check took, counted in steps
/// (one step per unit of work) instead of nanoseconds, so the kata is deterministic. On a real server the steps are
/// the microseconds an attacker averages over many requests.</summary>
public readonly record struct VerificationResult(bool Accepted, long Steps);

/// <summary>A server that checks HMAC-SHA256 tags (full 32 bytes) for messages under a key the caller never sees.</summary>
public interface ITagVerifier
{
    /// <summary>Checks <paramref name="tag"/> for <paramref name="message"/> and reports the verdict and the work done.</summary>
    VerificationResult Verify(byte[] message, byte[] tag);
}

/// <summary>The vulnerable verifier: it compares the expected tag with the presented one byte by byte and returns at
/// the first difference, like <c>SequenceEqual</c>, <c>memcmp</c> or a hand-written loop. Its step count is a fixed
/// overhead (computing the HMAC) plus one step per byte compared, so it leaks how long the matching prefix is.</summary>
public sealed class EarlyExitTagVerifier(byte[] key) : ITagVerifier
{
    /// <summary>The fixed work done before the comparison (computing the HMAC, parsing the request).</summary>
    public const long OverheadSteps = 100;

    private readonly byte[] _key = key.ToArray();

    public VerificationResult Verify(byte[] message, byte[] tag)
    {
        var expected = HMACSHA256.HashData(_key, message);
        var steps = OverheadSteps;
        if (tag.Length != expected.Length)
        {
            return new VerificationResult(false, steps);
        }

        for (var i = 0; i < expected.Length; i++)
        {
            steps++;
            if (expected[i] != tag[i])
            {
                return new VerificationResult(false, steps);
            }
        }

        return new VerificationResult(true, steps);
    }
}

/// <summary>The fixed verifier: <see cref="CryptographicOperations.FixedTimeEquals"/> examines every byte whatever the
/// contents (its documented contract: the time depends on the length, not on the values), so the step count is the
/// same for every tag of the right length.</summary>
public sealed class FixedTimeTagVerifier(byte[] key) : ITagVerifier
{
    private readonly byte[] _key = key.ToArray();

    public VerificationResult Verify(byte[] message, byte[] tag)
    {
        var expected = HMACSHA256.HashData(_key, message);
        if (tag.Length != expected.Length)
        {
            return new VerificationResult(false, EarlyExitTagVerifier.OverheadSteps);
        }

        var accepted = CryptographicOperations.FixedTimeEquals(expected, tag);
        return new VerificationResult(accepted, EarlyExitTagVerifier.OverheadSteps + expected.Length);
    }
}
