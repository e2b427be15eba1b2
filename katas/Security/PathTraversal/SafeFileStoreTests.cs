using System.Text;

namespace Koans.Security.PathTraversal;

/// <summary>
/// A real temp directory, deleted afterwards:
/// <code>
/// base/root/docs/readme.txt     served
/// base/root/.env                under the root, but hidden
/// base/secret.txt               outside: no request may read it
/// base/outside/secret.txt       outside
/// base/root-evil/secret.txt     outside, in a directory whose name starts with "root"
/// </code>
/// </summary>
public sealed class TempTree : IDisposable
{
    public const string Readme = "public readme";
    public const string Secret = "TOP SECRET";

    public TempTree()
    {
        Base = Directory.CreateTempSubdirectory("koans-traversal-").FullName;
        Root = Path.Combine(Base, "root");
        Write("root/docs/readme.txt", Readme);
        Write("root/.env", "DB_PASSWORD=" + Secret);
        Write("secret.txt", Secret);
        Write("outside/secret.txt", Secret);
        Write("root-evil/secret.txt", Secret);
    }

    public string Base { get; }

    public string Root { get; }

    public string Write(string relative, string text)
    {
        var path = Path.Combine(Base, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates a symbolic link at <c>root/<paramref name="linkUnderRoot"/></c> pointing at <paramref name="target"/>.</summary>
    public void Link(string linkUnderRoot, string target, bool directory = false)
    {
        var link = Path.Combine(Root, linkUnderRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (directory)
        {
            Directory.CreateSymbolicLink(link, target);
        }
        else
        {
            File.CreateSymbolicLink(link, target);
        }
    }

    // Directory.Delete removes symbolic links themselves and never follows them.
    public void Dispose() => Directory.Delete(Base, recursive: true);
}

public class SafeFileStoreTests
{
    private static string ReadAll(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public void OpenRead_serves_a_file_under_the_root()
    {
        using var tree = new TempTree();

        using var stream = new SafeFileStore(tree.Root).OpenRead("docs/readme.txt");

        ReadAll(stream).Should().Be(TempTree.Readme);
    }

    [Fact]
    public void OpenRead_follows_a_symbolic_link_that_stays_under_the_root()
    {
        using var tree = new TempTree();
        tree.Link("latest.txt", Path.Combine(tree.Root, "docs", "readme.txt"));

        using var stream = new SafeFileStore(tree.Root).OpenRead("latest.txt");

        ReadAll(stream).Should().Be(TempTree.Readme, "a link is fine as long as the file it opens is under the root");
    }

    [Theory]
    [InlineData("..%2Fsecret.txt")]
    [InlineData("docs%2F..%2F..%2Fsecret.txt")]
    [InlineData("%2e%2e/secret.txt")]
    public void OpenRead_refuses_an_encoded_parent_directory(string userPath)
    {
        using var tree = new TempTree();
        Encoding.UTF8.GetString(new NaiveFileStore(tree.Root).ReadAllBytes(userPath)).Should().Be(TempTree.Secret,
            "the naive store checks for ../ and then decodes: the check saw a different string from the one it opened");

        var act = () => new SafeFileStore(tree.Root).OpenRead(userPath);

        act.Should().Throw<PathEscapeException>("'%' is not allowed in a segment, and a path is never decoded twice");
    }

    [Fact]
    public void OpenRead_refuses_an_absolute_path()
    {
        using var tree = new TempTree();
        var absolute = Path.Combine(tree.Base, "secret.txt");
        Encoding.UTF8.GetString(new NaiveFileStore(tree.Root).ReadAllBytes(absolute)).Should().Be(TempTree.Secret,
            "Path.Combine(root, \"/abs\") returns \"/abs\": an absolute second argument throws the root away");

        var act = () => new SafeFileStore(tree.Root).OpenRead(absolute);

        act.Should().Throw<PathEscapeException>("an absolute path is never under the root");
    }

    [Theory]
    [InlineData("../secret.txt")]
    [InlineData("docs/../../secret.txt")]
    [InlineData("..\\secret.txt")]
    [InlineData("docs\\..\\..\\secret.txt")]
    [InlineData("docs//readme.txt")]
    [InlineData("./docs/readme.txt")]
    [InlineData("docs/readme.txt\0.png")]
    [InlineData("docs/readme.txt\n")]
    [InlineData("")]
    [InlineData("docs/")]
    public void OpenRead_refuses_paths_that_are_not_plain_relative_segments(string userPath)
    {
        using var tree = new TempTree();

        var act = () => new SafeFileStore(tree.Root).OpenRead(userPath);

        act.Should().Throw<PathEscapeException>(
            "only non-empty segments of letters, digits, '.', '_' and '-' not starting with a dot are accepted, separated by '/'");
    }

    [Theory]
    [InlineData(".env")]
    [InlineData("docs/.htaccess")]
    public void OpenRead_refuses_hidden_files_under_the_root(string userPath)
    {
        using var tree = new TempTree();
        tree.Write("root/docs/.htaccess", "Require all denied");
        new NaiveFileStore(tree.Root).ReadAllBytes(userPath).Should().NotBeEmpty(
            "the naive store serves any file under the root, secrets in dotfiles included");

        var act = () => new SafeFileStore(tree.Root).OpenRead(userPath);

        act.Should().Throw<PathEscapeException>("a segment starting with a dot is refused: .env, .git and friends are not content");
    }

    [Fact]
    public void OpenRead_refuses_a_symbolic_link_that_points_out_of_the_root()
    {
        using var tree = new TempTree();
        tree.Link("docs/notes.txt", Path.Combine(tree.Base, "secret.txt"));
        Encoding.UTF8.GetString(new NaiveFileStore(tree.Root).ReadAllBytes("docs/notes.txt")).Should().Be(TempTree.Secret,
            "the path is spelled innocently, and the file system follows the link out of the root");

        var act = () => new SafeFileStore(tree.Root).OpenRead("docs/notes.txt");

        act.Should().Throw<PathEscapeException>("the opened file's real path is outside the root");
    }

    [Fact]
    public void OpenRead_refuses_a_directory_link_on_the_way_out_of_the_root()
    {
        using var tree = new TempTree();
        tree.Link("shared", Path.Combine(tree.Base, "outside"), directory: true);
        Encoding.UTF8.GetString(new CheckThenOpenFileStore(tree.Root).ReadAllBytes("shared/secret.txt")).Should().Be(
            TempTree.Secret, "resolving a link at the end of the path misses a linked directory in the middle of it");

        var act = () => new SafeFileStore(tree.Root).OpenRead("shared/secret.txt");

        act.Should().Throw<PathEscapeException>("check where the opened file really is, not what its last segment links to");
    }

    [Fact]
    public void OpenRead_is_not_fooled_by_a_sibling_directory_whose_name_starts_like_the_root()
    {
        using var tree = new TempTree();
        tree.Link("docs/evil.txt", Path.Combine(tree.Base, "root-evil", "secret.txt"));
        Encoding.UTF8.GetString(new CheckThenOpenFileStore(tree.Root).ReadAllBytes("docs/evil.txt")).Should().Be(
            TempTree.Secret, "\".../root-evil/secret.txt\".StartsWith(\".../root\") is true");

        var act = () => new SafeFileStore(tree.Root).OpenRead("docs/evil.txt");

        act.Should().Throw<PathEscapeException>("inside the root means the root followed by a directory separator");
    }

    [Fact]
    public void A_file_swapped_for_a_link_between_check_and_use_leaks_from_a_store_that_opens_twice()
    {
        using var tree = new TempTree();
        var readme = Path.Combine(tree.Root, "docs", "readme.txt");
        void SwapForLink()
        {
            File.Delete(readme);
            File.CreateSymbolicLink(readme, Path.Combine(tree.Base, "secret.txt"));
        }

        Encoding.UTF8.GetString(new CheckThenOpenFileStore(tree.Root).ReadAllBytes("docs/readme.txt", SwapForLink))
            .Should().Be(TempTree.Secret, "the check looked at one file, and the open by name found another");

        using var again = new TempTree();
        var againReadme = Path.Combine(again.Root, "docs", "readme.txt");
        using var stream = new SafeFileStore(again.Root).OpenRead("docs/readme.txt");
        File.Delete(againReadme);
        File.CreateSymbolicLink(againReadme, Path.Combine(again.Base, "secret.txt"));

        ReadAll(stream).Should().Be(TempTree.Readme,
            "the stream is the handle that was checked: swapping the name afterwards cannot change what it reads");
    }

    [Fact]
    public void OpenRead_reports_a_missing_file_as_not_found()
    {
        using var tree = new TempTree();

        var act = () => new SafeFileStore(tree.Root).OpenRead("docs/missing.txt");

        act.Should().Throw<FileNotFoundException>("an acceptable path that names no file is simply not found, not an attack");
    }

    [Fact]
    public void The_store_refuses_a_null_root_and_a_root_that_does_not_exist()
    {
        using var tree = new TempTree();

        FluentActions.Invoking(() => new SafeFileStore(null!)).Should().Throw<ArgumentNullException>().WithParameterName("root");
        FluentActions.Invoking(() => new SafeFileStore(Path.Combine(tree.Base, "no-such-root"))).Should().Throw<DirectoryNotFoundException>(
            "a store over a missing directory is a configuration mistake: say so when the store is made, not at the first request");
        FluentActions.Invoking(() => new SafeFileStore(Path.Combine(tree.Base, "secret.txt"))).Should().Throw<DirectoryNotFoundException>(
            "a root that is a file is not a directory to serve from");
    }

    [Fact]
    public void OpenRead_refuses_a_null_path_by_name()
    {
        using var tree = new TempTree();
        var store = new SafeFileStore(tree.Root);

        FluentActions.Invoking(() => store.OpenRead(null!)).Should().Throw<ArgumentNullException>().WithParameterName("userPath");
    }

    [Fact]
    public void A_refused_open_leaves_no_handle_to_the_outside_file()
    {
        using var tree = new TempTree();
        tree.Link("docs/notes.txt", Path.Combine(tree.Base, "secret.txt"));
        var store = new SafeFileStore(tree.Root);

        FluentActions.Invoking(() => store.OpenRead("docs/notes.txt")).Should().Throw<PathEscapeException>();

        // Every open file descriptor of this process, as the kernel names it: none may still be the secret.
        var secret = Path.Combine(tree.Base, "secret.txt");
        var stillOpen = Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target == secret);
        stillOpen.Should().BeEmpty(
            "the check happens on an open handle; when it fails, that handle must be closed before throwing, or every refused " +
            "request leaks a descriptor to the very file it refused (until the finalizer runs, if it ever does)");
    }
}
