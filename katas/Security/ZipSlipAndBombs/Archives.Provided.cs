using System.IO.Compression;
using System.Text;

namespace Koans.Security.ZipSlipAndBombs;

/// <summary>How much an uploaded archive may make the server do.</summary>
/// <param name="MaxEntries">Most entries (files and directories) an archive may have.</param>
/// <param name="MaxTotalBytes">Most bytes all files together may decompress to.</param>
/// <param name="MaxCompressionRatio">Most uncompressed bytes per compressed byte of any one entry.</param>
public sealed record ExtractionLimits(int MaxEntries, long MaxTotalBytes, double MaxCompressionRatio)
{
    /// <summary>1,000 entries, 100 MiB, ratio 100.</summary>
    public static ExtractionLimits Default { get; } = new(1_000, 100L << 20, 100);
}

/// <summary>Which rule an archive broke.</summary>
public enum ArchiveRefusal
{
    /// <summary>An entry's path is absolute, uses a backslash, or would land outside the target directory.</summary>
    EscapesTarget,
    /// <summary>An entry is a symbolic link (a Unix mode of S_IFLNK in its external attributes).</summary>
    Link,
    /// <summary>More entries than <see cref="ExtractionLimits.MaxEntries"/>.</summary>
    TooManyEntries,
    /// <summary>The files decompress to more than <see cref="ExtractionLimits.MaxTotalBytes"/>.</summary>
    TooLarge,
    /// <summary>An entry decompresses to more than <see cref="ExtractionLimits.MaxCompressionRatio"/> times its compressed size.</summary>
    CompressionRatio,
}

/// <summary>An uploaded archive was refused; nothing it contained is left on disk.</summary>
public sealed class UnsafeArchiveException(ArchiveRefusal reason, string message) : Exception(message)
{
    public ArchiveRefusal Reason { get; } = reason;
}

/// <summary>
/// Provided: extraction as a loop over entries, the way it is written when <c>ZipFile.ExtractToDirectory</c> is not
/// flexible enough. It joins each entry's name to the target, restores Unix symbolic links like <c>unzip</c> does,
/// and trusts every size. The tests run every attack against it first, to show the attack is real.
/// </summary>
public static class NaiveZipExtractor
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    public static void Extract(Stream zip, string targetDirectory)
    {
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        foreach (var entry in archive.Entries)
        {
            var destination = Path.Combine(targetDirectory, entry.FullName);
            if (entry.FullName.EndsWith('/'))
            {
                Directory.CreateDirectory(destination);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                File.CreateSymbolicLink(destination, reader.ReadToEnd());
                continue;
            }

            entry.ExtractToFile(destination, overwrite: true);
        }
    }
}
