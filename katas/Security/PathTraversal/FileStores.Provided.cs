namespace Koans.Security.PathTraversal;

/// <summary>A user-supplied path was refused because it is not, or does not stay, under the store's root.</summary>
public sealed class PathEscapeException(string message) : IOException(message);

/// <summary>
/// Provided: the first version of a download endpoint. It refuses <c>../</c>, then decodes, then joins with
/// <see cref="Path.Combine(string, string)"/>. The tests run attacks against it first, to show they are real.
/// </summary>
public sealed class NaiveFileStore(string root)
{
    public byte[] ReadAllBytes(string userPath)
    {
        if (userPath.Contains("../", StringComparison.Ordinal))
        {
            throw new PathEscapeException("no parent directories");
        }

        return File.ReadAllBytes(Path.Combine(root, Uri.UnescapeDataString(userPath)));
    }
}

/// <summary>
/// Provided: the second version. It normalizes the path, resolves a symbolic link at the end of it, checks the result
/// is under the root, and only then opens the path again by name. <paramref name="betweenCheckAndUse"/> lets a test
/// act as the attacker who swaps the file in that window.
/// </summary>
public sealed class CheckThenOpenFileStore(string root)
{
    public byte[] ReadAllBytes(string userPath, Action? betweenCheckAndUse = null)
    {
        var full = Path.GetFullPath(Path.Combine(root, userPath));
        var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        if (!target.StartsWith(Path.GetFullPath(root), StringComparison.Ordinal))
        {
            throw new PathEscapeException("outside the root");
        }

        betweenCheckAndUse?.Invoke();
        return File.ReadAllBytes(full);
    }
}
