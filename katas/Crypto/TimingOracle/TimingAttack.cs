namespace Koans.Crypto.TimingOracle;

/// <summary>
/// Kata crypto.timing-oracle: forge a MAC tag without the key, from nothing but how long the server takes to say no.
/// </summary>
/// <remarks>
/// <para>A MAC is only as strong as its verification. If the server compares the tag it expects with the tag you sent
/// in a way whose duration depends on the contents, every rejection tells you something about the expected tag, and
/// a 256-bit tag that should take 2^256 guesses falls to a few thousand. Here the duration is reported as
/// <see cref="VerificationResult.Steps"/>: a deterministic count of work, as an attacker would estimate by averaging
/// many timed requests.</para>
/// <para>Do not assume anything about the verifier's internals beyond what it reports: the step count includes a fixed
/// overhead you do not know, and the verifier rejects tags of the wrong length before comparing anything.</para>
/// <para>The budget: at most 256 queries per tag byte. Against a verifier that leaks nothing (every guess costs the
/// same and none is accepted), give up as soon as that is clear, instead of brute-forcing.</para>
/// </remarks>
public static class TimingAttack
{
    /// <summary>
    /// Finds the tag that <paramref name="verifier"/> accepts for <paramref name="message"/>, using only its answers.
    /// </summary>
    /// <param name="message">The message to forge a tag for.</param>
    /// <param name="tagLength">The length in bytes of the tags the verifier expects.</param>
    /// <param name="verifier">The server under attack.</param>
    /// <returns>A tag of <paramref name="tagLength"/> bytes that the verifier accepts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tagLength"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The verifier leaks nothing: at some position no candidate byte
    /// behaves differently from the others and none is accepted; or every byte leaked but the tag they spell is still
    /// not accepted.</exception>
    public static byte[] ForgeTag(byte[] message, int tagLength, ITagVerifier verifier) =>
        throw new NotImplementedException();
}
