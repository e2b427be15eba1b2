namespace Koans.Security.ZipSlipAndBombs;

/// <summary>
/// Kata security.zip-slip-and-bombs: extract an uploaded zip archive (System.IO.Compression) without letting it write
/// outside the target directory or fill the disk.
/// </summary>
/// <remarks>
/// <para>An archive is untrusted input that names files and promises sizes. Refuse it with
/// <see cref="UnsafeArchiveException"/> (and the matching <see cref="ArchiveRefusal"/>) when:</para>
/// <list type="bullet">
/// <item><description>it has more than <see cref="ExtractionLimits.MaxEntries"/> entries (checked first);</description></item>
/// <item><description>an entry's path is absolute, contains a backslash or NUL, or resolves outside the target
/// directory ("zip slip": <c>../../etc/cron.d/x</c>); the target itself followed by a separator is the boundary;</description></item>
/// <item><description>an entry is a symbolic link, as Unix zip tools store one (Info-ZIP: the Unix file mode in the
/// entry's external attributes). A link followed by an entry written through it escapes any name check;</description></item>
/// <item><description>an entry decompresses to more than <see cref="ExtractionLimits.MaxCompressionRatio"/> times its
/// compressed length, or all files together to more than <see cref="ExtractionLimits.MaxTotalBytes"/>. Check what the
/// archive declares before writing anything, and count the bytes actually decompressed while writing, stopping as soon
/// as a limit is passed: never extract first and measure afterwards.</description></item>
/// </list>
/// <para>Nothing is written until every entry's name, type and declared size has passed. If a refusal comes while
/// writing, everything written so far is deleted: a refused archive leaves the target directory empty.</para>
/// <para>Entries ending in <c>/</c> are directories (created even when empty). Nested archives are files like any other
/// (never extracted). Two entries with the same path: the second fails with <see cref="IOException"/> instead of
/// overwriting the first, and like any failure while writing it leaves the target directory empty. The caller's stream
/// is left open.</para>
/// </remarks>
public static class SafeZipExtractor
{
    /// <summary>
    /// Extracts <paramref name="zip"/> into <paramref name="targetDirectory"/> (created if missing; it must be empty) and
    /// returns the relative paths of the files written, with <c>/</c> separators, in archive order.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="UnsafeArchiveException">The archive broke a rule above; the target directory is left empty.</exception>
    /// <exception cref="InvalidDataException">The stream is not a zip archive.</exception>
    /// <exception cref="IOException">The target directory is not empty, or two entries have the same path.</exception>
    public static IReadOnlyList<string> Extract(Stream zip, string targetDirectory, ExtractionLimits limits) =>
        throw new NotImplementedException();
}
