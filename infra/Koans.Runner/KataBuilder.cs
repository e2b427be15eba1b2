using System.Text.RegularExpressions;

namespace Koans.Runner;

/// <summary>One compiler or MSBuild diagnostic, as the compiler printed it.</summary>
public sealed record CompilerMessage(string File, int Line, int Column, string Severity, string Code, string Text, string? Project)
{
    public string Display(string root)
    {
        var file = Path.IsPathRooted(File) ? Path.GetRelativePath(root, File).Replace('\\', '/') : File;
        return Line > 0 ? $"{file}({Line},{Column}): {Severity} {Code}: {Text}" : $"{file}: {Severity} {Code}: {Text}";
    }
}

public sealed record BuildOutcome(bool Succeeded, IReadOnlyList<CompilerMessage> Errors, string Log, bool UsedFastPath, bool TimedOut = false)
{
    /// <summary>Compiler warnings of a learner's build (katas track): shown beneath the verdict, never blocking it.</summary>
    public IReadOnlyList<CompilerMessage> Warnings { get; init; } = [];

    /// <summary>What to show when the build failed: the compiler's errors verbatim, else the tail of the log.</summary>
    public IReadOnlyList<string> ErrorLines(string root) =>
        Errors.Count > 0
            ? Errors.Select(e => e.Display(root)).Distinct().ToList()
            : Log.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).TakeLast(15).ToList();
}

public static partial class BuildLog
{
    /// <summary>Parses `file(line,col): error CODE: text [project]` lines, as csc and MSBuild print them.</summary>
    public static IReadOnlyList<CompilerMessage> Errors(string log) => Diagnostics(log, "error");

    public static IReadOnlyList<CompilerMessage> Warnings(string log) => Diagnostics(log, "warning");

    private static IReadOnlyList<CompilerMessage> Diagnostics(string log, string severity) =>
        log.Split('\n')
            .Select(line => DiagnosticPattern().Match(line.TrimEnd()))
            .Where(m => m.Success && m.Groups["severity"].Value == severity)
            .Select(m => new CompilerMessage(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["severity"].Value,
                m.Groups["code"].Value,
                m.Groups["text"].Value.Trim(),
                m.Groups["project"].Success ? m.Groups["project"].Value.Split("::")[0] : null))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(]*?)(\((?<line>\d+),(?<col>\d+)(,\d+,\d+)?\))?\s*:\s*(?<severity>error|warning)\s+(?<code>[A-Za-z]+\d+)\s*:\s*(?<text>.*?)(\s+\[(?<project>[^\]]+)\])?$")]
    private static partial Regex DiagnosticPattern();
}

/// <summary>
/// Builds one kata on one track. The first build is a normal `dotnet build`. After that, when only .cs files changed,
/// the kata is recompiled with the exact compiler arguments the last build recorded (koans.csc.rsp, written by
/// Directory.Build.targets) through the SDK's shared compiler server: no MSBuild, no restore, a warm compiler.
/// </summary>
public sealed partial class KataBuilder(string root)
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private string? _sdkDirectory;

    public string Root { get; } = root;

    public string BinDirectory(Kata kata, Track track) => Path.Combine(Root, "artifacts", track.Name(), "bin", kata.RelativeDirectory, "Debug");

    public string ObjDirectory(Kata kata, Track track) => Path.Combine(Root, "artifacts", track.Name(), "obj", kata.RelativeDirectory);

    /// <summary>The compiler arguments of the last real compile, recorded by Directory.Build.targets.</summary>
    public string RecordedArguments(Kata kata, Track track) => Path.Combine(ObjDirectory(kata, track), "Debug", "koans.csc.rsp");

    public string TestAssembly(Kata kata, Track track) => Path.Combine(BinDirectory(kata, track), kata.AssemblyName + ".dll");

    public async Task<BuildOutcome> BuildAsync(Kata kata, Track track, CancellationToken cancellationToken)
    {
        if (!File.Exists(kata.ProjectPath))
        {
            throw new KoansException($"{kata.RelativeDirectory} has no project file: restore it with `git checkout -- {kata.RelativeDirectory}`.");
        }

        if (StubLock.MissingTests(Root, kata) is [var missing, ..])
        {
            throw new KoansException($"{missing} is missing: the tests are the spec and are never edited; restore it with `git checkout -- {missing}`.");
        }

        if (kata.TestFiles.Count == 0)
        {
            throw new KoansException($"{kata.RelativeDirectory} has no test file (*Tests.cs): the tests are the spec and are never edited; restore them with `git checkout -- {kata.RelativeDirectory}`.");
        }

        if (track == Track.Solutions && kata.SolutionFiles.Count == 0)
        {
            throw new KoansException($"{kata.Id} has no reference solution in solutions/{kata.Section.Folder}/{kata.Folder}.");
        }

        // A learner's unused variable is not a failure: on the katas track warnings are shown, not enforced
        // (verify still builds both tracks with warnings as errors).
        var warningsAsErrors = track != Track.Katas;
        if (await TryFastBuildAsync(kata, track, warningsAsErrors, cancellationToken).ConfigureAwait(false) is { } fast)
        {
            return fast;
        }

        return await FullBuildAsync(kata, track, cancellationToken, warningsAsErrors).ConfigureAwait(false);
    }

    public async Task<BuildOutcome> FullBuildAsync(Kata kata, Track track, CancellationToken cancellationToken, bool warningsAsErrors = true)
    {
        var arguments = new List<string> { "build", kata.ProjectPath, $"-p:Track={track.Name()}", "-nologo", "-v:q", "-clp:NoSummary", "-tl:off" };
        if (!warningsAsErrors)
        {
            arguments.Add("-p:TreatWarningsAsErrors=false");
        }

        if (RestoreIsCurrent(kata, track))
        {
            arguments.Add("--no-restore");
        }

        var result = await ProcessRunner.RunAsync("dotnet", arguments, kata.Directory, BuildTimeout, cancellationToken).ConfigureAwait(false);
        var errors = BuildLog.Errors(result.Output);
        var succeeded = result.ExitCode == 0 && errors.Count == 0;
        var rsp = RecordedArguments(kata, track);
        if (succeeded && File.Exists(rsp))
        {
            // MSBuild rewrites the record only when the arguments change (or skips the compile altogether); either way
            // they are current as of this build, so the next save may take the fast path.
            File.SetLastWriteTimeUtc(rsp, DateTime.UtcNow);
        }

        return new BuildOutcome(succeeded, errors, result.Output, UsedFastPath: false, result.TimedOut) { Warnings = BuildLog.Warnings(result.Output) };
    }

    private bool RestoreIsCurrent(Kata kata, Track track)
    {
        var assets = new FileInfo(Path.Combine(ObjDirectory(kata, track), "project.assets.json"));
        return assets.Exists && BuildInputs(kata).All(f => File.GetLastWriteTimeUtc(f) < assets.LastWriteTimeUtc);
    }

    /// <summary>Files that, when changed, need MSBuild rather than a plain recompile.</summary>
    private IEnumerable<string> BuildInputs(Kata kata) =>
        new[] { kata.ProjectPath, "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" }
            .Select(f => Path.IsPathRooted(f) ? f : Path.Combine(Root, f))
            .Where(File.Exists);

    private async Task<BuildOutcome?> TryFastBuildAsync(Kata kata, Track track, bool warningsAsErrors, CancellationToken cancellationToken)
    {
        var rsp = RecordedArguments(kata, track);
        var binAssembly = TestAssembly(kata, track);
        if (!File.Exists(rsp) || !File.Exists(binAssembly) || Environment.GetEnvironmentVariable("KOANS_NO_FAST_BUILD") == "1")
        {
            return null;
        }

        var recordedAt = File.GetLastWriteTimeUtc(rsp);
        if (BuildInputs(kata).Any(f => File.GetLastWriteTimeUtc(f) > recordedAt))
        {
            return null;
        }

        var lines = await File.ReadAllLinesAsync(rsp, cancellationToken).ConfigureAwait(false);
        var outPath = lines.FirstOrDefault(l => l.StartsWith("/out:", StringComparison.Ordinal))?["/out:".Length..];
        if (outPath is null || SdkDirectory(lines) is not { } sdk)
        {
            return null;
        }

        // The recorded source list must still be the folder's: a new or deleted file needs MSBuild's globbing.
        var recorded = lines.Where(l => !l.StartsWith('/') && l.EndsWith(".cs", StringComparison.Ordinal))
            .Select(l => Path.GetFullPath(l, kata.Directory))
            .Where(f => !f.StartsWith(Path.Combine(Root, "artifacts"), StringComparison.Ordinal) && !f.Contains("/.nuget/", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        if (!recorded.SetEquals(kata.CompiledFiles(track).Select(Path.GetFullPath)))
        {
            return null;
        }

        var csc = Path.Combine(sdk, "Roslyn", "bincore", "csc.dll");
        if (!File.Exists(csc))
        {
            return null;
        }

        // Options after the response file win: /warnaserror- turns the recorded /warnaserror+ off.
        string[] cscArguments = warningsAsErrors ? [csc, "-shared", "-nologo", "@" + rsp] : [csc, "-shared", "-nologo", "@" + rsp, "/warnaserror-"];
        var result = await ProcessRunner.RunAsync("dotnet", cscArguments, kata.Directory, BuildTimeout, cancellationToken).ConfigureAwait(false);
        var errors = BuildLog.Errors(result.Output);
        if (result.ExitCode != 0 && errors.Count == 0)
        {
            return null; // Not a compile error (the server could not start, say): let MSBuild try.
        }

        if (result.ExitCode == 0)
        {
            // MSBuild would copy obj -> bin; do the same so the next full build finds everything up to date.
            File.Copy(outPath, binAssembly, overwrite: true);
            var pdb = Path.ChangeExtension(outPath, ".pdb");
            if (File.Exists(pdb))
            {
                File.Copy(pdb, Path.ChangeExtension(binAssembly, ".pdb"), overwrite: true);
            }
        }

        return new BuildOutcome(result.ExitCode == 0, errors, result.Output, UsedFastPath: true, result.TimedOut) { Warnings = BuildLog.Warnings(result.Output) };
    }

    /// <summary>The SDK the recorded build used, read off the analyzer paths it passed (…/sdk/&lt;version&gt;/Sdks/…).</summary>
    private string? SdkDirectory(IEnumerable<string> rspLines)
    {
        if (_sdkDirectory is not null)
        {
            return _sdkDirectory;
        }

        foreach (var line in rspLines)
        {
            var match = SdkPattern().Match(line);
            if (match.Success && Directory.Exists(match.Groups["sdk"].Value))
            {
                return _sdkDirectory = match.Groups["sdk"].Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^/analyzer(config)?:(?<sdk>.+?[/\\]sdk[/\\][^/\\]+)[/\\]Sdks[/\\]")]
    private static partial Regex SdkPattern();
}
