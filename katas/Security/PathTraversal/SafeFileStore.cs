namespace Koans.Security.PathTraversal;

/// <summary>
/// Kata security.path-traversal: serve files from under one root directory, whatever path a user sends.
/// </summary>
/// <remarks>
/// <para>A user path is a relative path the web framework has already decoded once (never decode it again). It is
/// accepted only when every <c>/</c>-separated segment is non-empty, is made of ASCII letters, digits, <c>.</c>,
/// <c>_</c> and <c>-</c>, and does not start with a dot (so no <c>.</c>, no <c>..</c>, no hidden files such as
/// <c>.env</c> or <c>.git</c>). That refuses absolute paths, backslashes, percent signs, NUL and empty segments before
/// the file system is touched.</para>
/// <para>Spelling is not enough: a symbolic link anywhere on the path (the file, or a directory above it) can point out
/// of the root, and an attacker who can write under the root can swap a checked file for a link after the check. The
/// stream you return must therefore be one whose real location, links resolved, is inside the root's real location,
/// however the links on the way change between your check and your read (refuse otherwise, leaking no open handle).
/// "Inside" means the root directory followed by a separator: <c>/srv/root-evil</c> is not inside <c>/srv/root</c>.
/// </para>
/// <para>Links that stay inside the root are fine. Linux is the platform the tests run on; other platforms may throw
/// <see cref="PlatformNotSupportedException"/> from the constructor.</para>
/// </remarks>
public sealed class SafeFileStore
{
    /// <summary>A store serving files under <paramref name="root"/>, an existing directory.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="root"/> is null.</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist or is not a directory.</exception>
    public SafeFileStore(string root) => throw new NotImplementedException();

    /// <summary>
    /// Opens the file at <paramref name="userPath"/> under the root for reading and returns the checked stream,
    /// positioned at its start. The caller reads from this stream, never from the path again.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="userPath"/> is null.</exception>
    /// <exception cref="PathEscapeException">The path is not acceptable, or the opened file is not under the root.</exception>
    /// <exception cref="FileNotFoundException">An acceptable path under the root names no file (a missing directory on
    /// the way gives <see cref="DirectoryNotFoundException"/>, as <see cref="FileStream"/> does).</exception>
    public FileStream OpenRead(string userPath) => throw new NotImplementedException();
}
