using CsCheck;
using Xunit.Sdk;

namespace Koans.Testing;

/// <summary>
/// Property-style checks against an oracle on inputs drawn from CsCheck generators with a fixed PCG seed, so every run
/// sees the same inputs. CsCheck's own <c>Sample(seed:)</c> fixes only the first iteration's seed and runs on several
/// threads; a plain loop over one seeded PCG is what makes a failure reproduce.
/// </summary>
public static class GeneratedCases
{
    /// <summary>How many inputs each property is checked on.</summary>
    public const int Count = 256;

    private const uint Stream = 11;
    private const ulong Seed = 20261130;

    /// <summary>
    /// Runs <paramref name="check"/> on <see cref="Count"/> inputs drawn from a fixed-seed PCG. The learner's
    /// NotImplementedException passes through untouched (a stub fails for the right reason); any other failure names
    /// the case, the seed and the input.
    /// </summary>
    public static void ForEach<T>(Gen<T> gen, Func<T, string> describe, Action<T> check)
    {
        var pcg = new PCG(Stream, Seed);
        for (var i = 0; i < Count; i++)
        {
            var input = gen.Generate(pcg, null, out _);
            try
            {
                check(input);
            }
            catch (Exception failure) when (failure is not NotImplementedException)
            {
                throw new XunitException(
                    $"Generated case {i} (PCG stream {Stream}, seed {Seed}) failed for input {describe(input)}:{Environment.NewLine}{failure.Message}",
                    failure);
            }
        }
    }
}
