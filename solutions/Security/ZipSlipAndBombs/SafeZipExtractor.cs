using System.IO.Compression;

namespace Koans.Security.ZipSlipAndBombs;

/// <summary>Reference solution for security.zip-slip-and-bombs.</summary>
public static class SafeZipExtractor
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    public static IReadOnlyList<string> Extract(Stream zip, string targetDirectory, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(targetDirectory);
        ArgumentNullException.ThrowIfNull(limits);

        // The boundary is the target followed by a separator: "/up/target-evil" is not inside "/up/target".
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory)) + Path.DirectorySeparatorChar;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);

        // Pass 1: decide on everything the archive declares, before a single byte is written.
        var plan = Plan(archive, target, limits);

        Directory.CreateDirectory(target);
        if (Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"The target directory '{targetDirectory}' is not empty.");
        }

        // Pass 2: write, counting what is really decompressed. In .NET 10 an entry's stream stops at its declared
        // length, so pass 1 already bounds the output; counting again costs nothing and does not depend on that.
        try
        {
            return Write(plan, limits);
        }
        catch
        {
            // A refused (or failed) archive leaves nothing behind. The target was empty and holds no links we did not
            // refuse, so deleting its contents deletes only what this call wrote.
            foreach (var path in Directory.EnumerateFileSystemEntries(target))
            {
                if (Directory.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
                {
                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }
            }

            throw;
        }
    }

    private sealed record Planned(ZipArchiveEntry Entry, string Destination, string RelativePath, bool IsDirectory);

    private static List<Planned> Plan(ZipArchive archive, string target, ExtractionLimits limits)
    {
        var entries = archive.Entries;
        if (entries.Count > limits.MaxEntries)
        {
            throw new UnsafeArchiveException(ArchiveRefusal.TooManyEntries,
                $"The archive has {entries.Count} entries; at most {limits.MaxEntries} are accepted.");
        }

        var plan = new List<Planned>(entries.Count);
        long declaredTotal = 0;
        foreach (var entry in entries)
        {
            var name = entry.FullName;
            if (name.Length == 0 || name.Contains('\\') || name.Contains('\0') || Path.IsPathRooted(name))
            {
                throw Escapes(name);
            }

            // Resolve "..", then compare with the boundary: the one canonical check, whatever the spelling.
            var destination = Path.GetFullPath(Path.Join(target, name));
            if (!destination.StartsWith(target, StringComparison.Ordinal))
            {
                throw Escapes(name);
            }

            if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
            {
                throw new UnsafeArchiveException(ArchiveRefusal.Link, $"The entry '{name}' is a symbolic link.");
            }

            var isDirectory = name.EndsWith('/');
            if (!isDirectory)
            {
                CheckRatio(name, entry.Length, entry.CompressedLength, limits);
                declaredTotal += entry.Length;
                CheckTotal(declaredTotal, limits);
            }

            plan.Add(new Planned(entry, destination, name, isDirectory));
        }

        return plan;
    }

    private static List<string> Write(List<Planned> plan, ExtractionLimits limits)
    {
        var written = new List<string>();
        var buffer = new byte[81920];
        long total = 0;
        foreach (var item in plan)
        {
            if (item.IsDirectory)
            {
                Directory.CreateDirectory(item.Destination);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(item.Destination)!);
            using var input = item.Entry.Open();
            // CreateNew: a second entry with the same name fails instead of overwriting the first.
            using var output = new FileStream(item.Destination, FileMode.CreateNew, FileAccess.Write);
            long entryBytes = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                entryBytes += read;
                total += read;
                CheckRatio(item.RelativePath, entryBytes, item.Entry.CompressedLength, limits);
                CheckTotal(total, limits);
                output.Write(buffer, 0, read);
            }

            written.Add(item.RelativePath);
        }

        return written;
    }

    private static void CheckRatio(string name, long uncompressed, long compressed, ExtractionLimits limits)
    {
        // An empty entry has no ratio; a stored (uncompressed) one has ratio 1.
        if (uncompressed > 0 && uncompressed > Math.Max(compressed, 1) * limits.MaxCompressionRatio)
        {
            throw new UnsafeArchiveException(ArchiveRefusal.CompressionRatio,
                $"The entry '{name}' expands more than {limits.MaxCompressionRatio} times.");
        }
    }

    private static void CheckTotal(long total, ExtractionLimits limits)
    {
        if (total > limits.MaxTotalBytes)
        {
            throw new UnsafeArchiveException(ArchiveRefusal.TooLarge,
                $"The archive expands to more than {limits.MaxTotalBytes} bytes.");
        }
    }

    private static UnsafeArchiveException Escapes(string name) =>
        new(ArchiveRefusal.EscapesTarget, $"The entry '{name}' would be written outside the target directory.");
}
