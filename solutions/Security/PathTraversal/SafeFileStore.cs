using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace Koans.Security.PathTraversal;

/// <summary>Reference solution for security.path-traversal.</summary>
public sealed partial class SafeFileStore
{
    // The real path of the root plus a separator: "/srv/root/" so that "/srv/root-evil/x" is not "inside".
    private readonly string rootPrefix;

    public SafeFileStore(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!OperatingSystem.IsLinux())
        {
            // The handle check below asks Linux's /proc. Windows would use GetFinalPathNameByHandle, macOS fcntl(F_GETPATH).
            throw new PlatformNotSupportedException("SafeFileStore checks opened handles through /proc/self/fd (Linux).");
        }

        // realpath fails for a root that does not exist; what it resolves must still be a directory, not a file.
        if (RealPath(root) is not { } realRoot || !Directory.Exists(realRoot))
        {
            throw new DirectoryNotFoundException($"The root '{root}' does not exist or is not a directory.");
        }

        rootPrefix = Path.TrimEndingDirectorySeparator(realRoot) + Path.DirectorySeparatorChar;
    }

    public FileStream OpenRead(string userPath)
    {
        ArgumentNullException.ThrowIfNull(userPath);

        // 1. Spelling, before the file system is touched: an allow-list per segment. It refuses "..", ".", dotfiles,
        //    empty segments (leading "/", "//", trailing "/"), backslashes, '%', NUL and every other surprise.
        if (!userPath.Split('/').All(segment => Segment().IsMatch(segment)))
        {
            throw new PathEscapeException("The path must be '/'-separated names of letters, digits, '.', '_' and '-'.");
        }

        // 2. Open once. FileNotFoundException / DirectoryNotFoundException propagate as they are.
        var stream = new FileStream(Path.Join(rootPrefix, userPath), FileMode.Open, FileAccess.Read, FileShare.Read);

        // 3. Check the object that was opened, not the name: the kernel knows where this handle really is, after every
        //    symbolic link on the way (file or directory) and whatever was renamed since. No window between check and use.
        var real = FinalPath(stream.SafeFileHandle);
        if (!real.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            stream.Dispose();
            throw new PathEscapeException("The path leads out of the root.");
        }

        return stream;
    }

    private static string FinalPath(SafeFileHandle handle)
    {
        var fd = handle.DangerousGetHandle();
        return new FileInfo($"/proc/self/fd/{fd}").LinkTarget
            ?? throw new PathEscapeException("The opened file's real path is unknown.");
    }

    /// <summary>The path with every link resolved (realpath(3)), or null when it does not exist.</summary>
    private static string? RealPath(string path)
    {
        // realpath returns NULL for a path that does not exist; PtrToStringUTF8 turns NULL into null, and free(NULL) is
        // allowed.
        var resolved = NativeRealPath(Path.GetFullPath(path), 0);
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeFree(resolved);
        }
    }

    // \z, not $: in .NET "$" also matches before a final newline, so "readme.txt\n" would pass.
    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9._-]*\z")]
    private static partial Regex Segment();

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern nint NativeRealPath([MarshalAs(UnmanagedType.LPUTF8Str)] string path, nint resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void NativeFree(nint pointer);
}
