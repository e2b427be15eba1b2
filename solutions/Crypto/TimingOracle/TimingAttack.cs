namespace Koans.Crypto.TimingOracle;

/// <summary>Reference solution for crypto.timing-oracle.</summary>
public static class TimingAttack
{
    public static byte[] ForgeTag(byte[] message, int tagLength, ITagVerifier verifier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tagLength, 1);

        var tag = new byte[tagLength];
        for (var position = 0; position < tagLength; position++)
        {
            // Try every value at this position; the bytes before it are already right, the bytes after it are zero.
            // The right value lets the comparison run one step further than the 255 wrong ones. Only step counts
            // relative to each other matter: the verifier's fixed overhead is unknown.
            var bestValue = -1;
            var bestSteps = long.MinValue;
            var leaks = false;
            for (var candidate = 0; candidate < 256; candidate++)
            {
                tag[position] = (byte)candidate;
                var result = verifier.Verify(message, tag);
                if (result.Accepted)
                {
                    // On the last byte every guess costs the same: only the verdict tells the right one.
                    return tag;
                }

                if (candidate > 0 && result.Steps != bestSteps)
                {
                    leaks = true;
                }

                if (result.Steps > bestSteps)
                {
                    bestSteps = result.Steps;
                    bestValue = candidate;
                }
            }

            if (!leaks)
            {
                // Every candidate cost the same and none was accepted: a constant-time comparison (or a length
                // check that stops before comparing). Going on would be a brute force of 256^tagLength.
                throw new InvalidOperationException(
                    $"The verifier leaks nothing at byte {position}: all 256 candidates took {bestSteps} steps.");
            }

            tag[position] = (byte)bestValue;
        }

        // Every position was decided by timing, yet the full tag was never accepted: the leak is not the one assumed.
        throw new InvalidOperationException("The tag recovered from the step counts was not accepted.");
    }
}
