using System.IO.Compression;
using System.Text;

namespace Koans.Security.ZipSlipAndBombs;

/// <summary>A temp directory of its own: <c>base/target</c> receives the archive; nothing may appear elsewhere in <c>base</c>.</summary>
public sealed class TempUploads : IDisposable
{
    public TempUploads()
    {
        Base = Directory.CreateTempSubdirectory("koans-zip-").FullName;
        Target = Path.Combine(Base, "target");
        Outside = Directory.CreateDirectory(Path.Combine(Base, "outside")).FullName;
    }

    public string Base { get; }

    public string Target { get; }

    public string Outside { get; }

    /// <summary>Every file and link under base, relative, except those under target.</summary>
    public IEnumerable<string> WrittenOutsideTarget() =>
        Directory.EnumerateFileSystemEntries(Base, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Base, p))
            .Where(p => p != "target" && p != "outside" && !p.StartsWith("target" + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    public long BytesUnderTarget() => Directory.Exists(Target)
        ? Directory.EnumerateFiles(Target, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : 0;

    public IEnumerable<string> EntriesUnderTarget() => Directory.Exists(Target)
        ? Directory.EnumerateFileSystemEntries(Target, "*", SearchOption.AllDirectories)
        : [];

    public void Dispose() => Directory.Delete(Base, recursive: true);
}

public class SafeZipExtractorTests
{
    private static readonly ExtractionLimits Small = new(MaxEntries: 100, MaxTotalBytes: 1 << 20, MaxCompressionRatio: 100);

    private sealed record Entry(string Name, byte[] Content, int UnixMode = 0x81A4 /* regular file, 0644 */);

    /// <summary>A real zip archive, built in memory with System.IO.Compression.</summary>
    private static MemoryStream Zip(params Entry[] entries)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                var zipEntry = archive.CreateEntry(entry.Name, CompressionLevel.SmallestSize);
                zipEntry.ExternalAttributes = entry.UnixMode << 16;
                using var content = zipEntry.Open();
                content.Write(entry.Content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Incompressible(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public void Extract_writes_every_file_of_a_well_formed_archive()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(
            new Entry("readme.txt", Text("hello")),
            new Entry("docs/", [], 0x41ED /* directory, 0755 */),
            new Entry("docs/guide/intro.md", Text("# Intro")),
            new Entry("data.bin", Incompressible(4096, 1)));

        var written = SafeZipExtractor.Extract(zip, uploads.Target, Small);

        written.Should().Equal(["readme.txt", "docs/guide/intro.md", "data.bin"], "the files, in archive order, '/'-separated");
        File.ReadAllText(Path.Combine(uploads.Target, "docs", "guide", "intro.md")).Should().Be("# Intro");
        File.ReadAllBytes(Path.Combine(uploads.Target, "data.bin")).Should().Equal(Incompressible(4096, 1));
        Directory.Exists(Path.Combine(uploads.Target, "docs")).Should().BeTrue("a directory entry creates its directory");
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("docs/../../evil.txt")]
    [InlineData("docs/../../target-evil/evil.txt")]
    public void Extract_refuses_an_entry_that_climbs_out_of_the_target(string name)
    {
        using (var naive = new TempUploads())
        {
            using var attack = Zip(new Entry("readme.txt", Text("hello")), new Entry(name, Text("pwned")));
            NaiveZipExtractor.Extract(attack, naive.Target);
            naive.WrittenOutsideTarget().Should().NotBeEmpty($"Path.Combine(target, \"{name}\") lands outside the target: zip slip");
        }

        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("readme.txt", Text("hello")), new Entry(name, Text("pwned")));

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.EscapesTarget);
        uploads.WrittenOutsideTarget().Should().BeEmpty("nothing may be written outside the target");
        uploads.EntriesUnderTarget().Should().BeEmpty("names are checked before anything is written, so not even readme.txt is left");
    }

    [Fact]
    public void Extract_refuses_an_absolute_entry()
    {
        using var naive = new TempUploads();
        var absolute = Path.Combine(naive.Outside, "evil.txt");
        using (var attack = Zip(new Entry(absolute, Text("pwned"))))
        {
            NaiveZipExtractor.Extract(attack, naive.Target);
        }

        File.Exists(absolute).Should().BeTrue("Path.Combine(target, \"/abs/path\") is \"/abs/path\"");
        File.Delete(absolute);

        using var zip = Zip(new Entry(absolute, Text("pwned")));
        var act = () => SafeZipExtractor.Extract(zip, naive.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.EscapesTarget);
        File.Exists(absolute).Should().BeFalse();
    }

    [Theory]
    [InlineData("..\\evil.txt")]
    [InlineData("docs\\readme.txt")]
    [InlineData("evil\0.txt")]
    public void Extract_refuses_backslashes_and_NUL_in_entry_names(string name)
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry(name, Text("x")));

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>("a backslash is a separator on Windows and a name character on Linux: ambiguous, so refused")
            .Which.Reason.Should().Be(ArchiveRefusal.EscapesTarget);
    }

    [Fact]
    public void Extract_refuses_a_symbolic_link_entry_and_what_would_be_written_through_it()
    {
        using var uploads = new TempUploads();
        Entry[] attack =
        [
            new("link", Text(uploads.Outside), 0xA1FF /* symbolic link, 0777; its content is the target */),
            new("link/evil.txt", Text("pwned")),
        ];
        using (var naiveZip = Zip(attack))
        {
            NaiveZipExtractor.Extract(naiveZip, Path.Combine(uploads.Base, "naive"));
        }

        File.Exists(Path.Combine(uploads.Outside, "evil.txt")).Should().BeTrue(
            "\"link/evil.txt\" passes every name check, and the link the previous entry made sends it outside");
        File.Delete(Path.Combine(uploads.Outside, "evil.txt"));

        using var zip = Zip(attack);
        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.Link);
        Directory.EnumerateFileSystemEntries(uploads.Outside).Should().BeEmpty();
        uploads.EntriesUnderTarget().Should().BeEmpty("no link was created");
    }

    [Fact]
    public void Extract_refuses_a_zip_bomb_without_filling_the_disk()
    {
        using var uploads = new TempUploads();
        var zeros = new byte[16 << 20]; // 16 MiB of zeros compresses about a thousandfold
        using (var bomb = Zip(new Entry("bomb.bin", zeros)))
        {
            bomb.Length.Should().BeLessThan(64 << 10, "the bomb is small on the wire");
            NaiveZipExtractor.Extract(bomb, Path.Combine(uploads.Base, "naive"));
        }

        new FileInfo(Path.Combine(uploads.Base, "naive", "bomb.bin")).Length.Should().Be(16 << 20,
            "the naive extractor wrote all 16 MiB; a real bomb writes petabytes");

        using var zip = Zip(new Entry("bomb.bin", zeros));
        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.CompressionRatio,
            "no honest upload compresses a thousandfold");
        uploads.BytesUnderTarget().Should().Be(0, "the bomb is refused before (or while) writing, and what was written is deleted");
    }

    [Fact]
    public void Extract_refuses_a_small_entry_over_the_ratio()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("zeros.bin", new byte[512 << 10])); // 512 KiB: under the 1 MiB total, far over ratio 100

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.CompressionRatio,
            "the total limit alone would let many of these through; the ratio is a separate rule");
        uploads.BytesUnderTarget().Should().Be(0);
    }

    [Fact]
    public void Extract_refuses_many_honest_entries_that_together_exceed_the_total()
    {
        using var uploads = new TempUploads();
        // 12 incompressible entries of 100 KiB: each ratio about 1, together 1.2 MiB > 1 MiB.
        using var zip = Zip(Enumerable.Range(0, 12).Select(i => new Entry($"part{i}.bin", Incompressible(100 << 10, i))).ToArray());

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.TooLarge,
            "each entry is fine on its own; the limit is on the sum");
        uploads.BytesUnderTarget().Should().Be(0, "a refused archive leaves the target empty");
    }

    [Fact]
    public void Extract_refuses_too_many_entries()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(Enumerable.Range(0, Small.MaxEntries + 1).Select(i => new Entry($"f{i}.txt", Text("x"))).ToArray());

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.TooManyEntries,
            $"101 entries is over the limit of {Small.MaxEntries}: a million empty files exhaust inodes without any bytes");
        uploads.EntriesUnderTarget().Should().BeEmpty();
    }

    [Fact]
    public void Extract_accepts_an_archive_exactly_at_the_limits()
    {
        using var uploads = new TempUploads();
        var limits = new ExtractionLimits(MaxEntries: 2, MaxTotalBytes: 8192, MaxCompressionRatio: 100);
        using var zip = Zip(new Entry("a.bin", Incompressible(4096, 7)), new Entry("b.bin", Incompressible(4096, 8)));

        SafeZipExtractor.Extract(zip, uploads.Target, limits).Should().Equal(["a.bin", "b.bin"],
            "two entries and 8,192 bytes are at the limits, not over them");
        uploads.BytesUnderTarget().Should().Be(8192);
    }

    [Fact]
    public void Extract_reports_a_stream_that_is_not_a_zip_as_invalid_data()
    {
        using var uploads = new TempUploads();
        using var notZip = new MemoryStream(Incompressible(1000, 3));

        var act = () => SafeZipExtractor.Extract(notZip, uploads.Target, Small);

        act.Should().Throw<InvalidDataException>("random bytes are not an archive");
        uploads.EntriesUnderTarget().Should().BeEmpty();
    }

    [Fact]
    public void Extract_refuses_a_target_that_is_not_empty_and_leaves_what_is_there()
    {
        using var uploads = new TempUploads();
        Directory.CreateDirectory(uploads.Target);
        var mine = Path.Combine(uploads.Target, "mine.txt");
        File.WriteAllText(mine, "not yours");
        using var zip = Zip(new Entry("a.txt", Text("a")));

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<IOException>("extracting into a directory with files in it would mix, or overwrite, what is there")
            .Which.Should().NotBeOfType<UnsafeArchiveException>();
        File.ReadAllText(mine).Should().Be("not yours", "a refusal touches nothing that was there before");
        Directory.EnumerateFileSystemEntries(uploads.Target).Should().ContainSingle();
    }

    [Theory]
    [InlineData("a.txt", "a file written twice")]
    [InlineData("docs/a.txt", "a file in a directory the archive created, written twice")]
    public void Extract_refuses_a_second_entry_with_the_same_path_and_deletes_what_it_wrote(string name, string what)
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("first.txt", Text("1")), new Entry(name, Text("original")), new Entry(name, Text("replacement")));

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<IOException>($"{what}: the second entry must not overwrite the first (a signed file swapped for another)");
        uploads.EntriesUnderTarget().Should().BeEmpty("a failure while writing deletes everything written so far, directories included");
    }

    [Fact]
    public void Extract_creates_an_empty_directory_entry()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("logs/", []), new Entry("readme.txt", Text("hi")));

        SafeZipExtractor.Extract(zip, uploads.Target, Small).Should().Equal(["readme.txt"], "directories are not files written");
        Directory.Exists(Path.Combine(uploads.Target, "logs")).Should().BeTrue("an entry ending in / is a directory, and it is created even when empty");
    }

    [Fact]
    public void Extract_accepts_an_entry_exactly_at_the_compression_ratio()
    {
        using var uploads = new TempUploads();
        var stored = new MemoryStream();
        using (var archive = new ZipArchive(stored, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var content = archive.CreateEntry("stored.bin", CompressionLevel.NoCompression).Open();
            content.Write(Incompressible(1000, 9));
        }

        stored.Position = 0;
        var ratioOne = new ExtractionLimits(MaxEntries: 10, MaxTotalBytes: 1 << 20, MaxCompressionRatio: 1);

        SafeZipExtractor.Extract(stored, uploads.Target, ratioOne).Should().Equal(["stored.bin"],
            "a stored entry decompresses to exactly its compressed length: ratio 1 is at the limit of 1, not over it");
    }

    [Fact]
    public void Extract_leaves_the_callers_stream_open()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("a.txt", Text("a")));

        SafeZipExtractor.Extract(zip, uploads.Target, Small);

        zip.CanRead.Should().BeTrue("the caller opened the stream and decides when to close it (an upload's request body, say)");
    }

    [Fact]
    public void Extract_refuses_null_arguments_by_name()
    {
        using var uploads = new TempUploads();
        using var zip = Zip(new Entry("a.txt", Text("a")));

        FluentActions.Invoking(() => SafeZipExtractor.Extract(null!, uploads.Target, Small)).Should().Throw<ArgumentNullException>().WithParameterName("zip");
        FluentActions.Invoking(() => SafeZipExtractor.Extract(zip, null!, Small)).Should().Throw<ArgumentNullException>().WithParameterName("targetDirectory");
        FluentActions.Invoking(() => SafeZipExtractor.Extract(zip, uploads.Target, null!)).Should().Throw<ArgumentNullException>().WithParameterName("limits");
    }

    [Fact]
    public void Extract_refuses_declared_sizes_over_the_total_before_creating_any_file()
    {
        using var uploads = new TempUploads();
        Directory.CreateDirectory(uploads.Target);
        using var zip = Zip(Enumerable.Range(0, 12).Select(i => new Entry($"part{i}.bin", Incompressible(100 << 10, i))).ToArray());
        var created = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watcher = new FileSystemWatcher(uploads.Target) { IncludeSubdirectories = true, EnableRaisingEvents = true };
        watcher.Created += (_, e) => created.Enqueue(e.Name!);

        var act = () => SafeZipExtractor.Extract(zip, uploads.Target, Small);

        act.Should().Throw<UnsafeArchiveException>().Which.Reason.Should().Be(ArchiveRefusal.TooLarge);
        // The kernel reports events in order: once the sentinel's arrives, every earlier creation has been reported.
        File.WriteAllText(Path.Combine(uploads.Target, "sentinel"), "");
        SpinWait.SpinUntil(() => created.Contains("sentinel"), TimeSpan.FromSeconds(30)).Should().BeTrue("the watcher reports the sentinel");
        created.TakeWhile(name => name != "sentinel").Should().BeEmpty(
            "the declared sizes already add up to 1.2 MiB: refuse from the central directory, before a single file is created " +
            "(counting while writing is the second line of defence, not the first)");
    }
}
