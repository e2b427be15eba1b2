using System.Diagnostics;

namespace Koans.Runner.Tests;

/// <summary>A throw-away folder for a test, deleted afterwards.</summary>
public sealed class TempTree : IDisposable
{
    public TempTree()
    {
        Root = Path.Combine(Path.GetTempPath(), "koans-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>A minimal Koans tree: one section, the given katas, each with a stub, tests, metadata, solution and notes.</summary>
    public static TempTree WithKatas(params string[] folders)
    {
        var tree = new TempTree();
        var list = string.Join(", ", folders.Select(f => $"\"{f}\""));
        tree.Write("katas/path.json", $$"""{ "sections": [ { "id": "demo", "folder": "Demo", "title": "Demo", "katas": [{{list}}] } ] }""");
        var sln = "";
        foreach (var folder in folders)
        {
            tree.AddKata(folder);
            sln += $"Project(\"x\") = \"{folder}\", \"katas\\Demo\\{folder}\\{folder}.csproj\", \"{{0}}\"\n";
        }

        tree.Write("Koans.sln", sln);
        return tree;
    }

    public void AddKata(string folder)
    {
        var id = "demo." + folder.ToLowerInvariant();
        Write($"katas/Demo/{folder}/{folder}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        Write($"katas/Demo/{folder}/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => throw new NotImplementedException(); }\n");
        Write($"katas/Demo/{folder}/StubTests.cs", "namespace Demo; public class StubTests { }\n");
        Write($"katas/Demo/{folder}/kata.json", $$"""
            { "id": "{{id}}", "title": "{{folder}}", "concepts": ["c"], "hints": ["gentle", "near"],
              "references": [ { "title": "r", "url": "https://example.org/r" } ] }
            """);
        Write($"solutions/Demo/{folder}/Stub.cs", "namespace Demo; public static class Stub { public static int Answer() => 42; }\n");
        Write($"solutions/Demo/{folder}/NOTES.md", "# notes\n");
    }

    /// <summary>The Koans checkout the runner tests run from.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Catalog.PathFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The runner tests run from inside a Koans checkout.");
    }

    /// <summary>Copies a file, or a folder's files without build output (bin/, obj/), to <paramref name="to"/>.</summary>
    public static void Copy(string from, string to)
    {
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split('/', '\\').Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Copy(file, Path.Combine(to, relative));
        }
    }

    public static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "Test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@example.org";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {errors}");
        }

        return output.Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
