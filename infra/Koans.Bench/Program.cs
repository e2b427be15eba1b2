using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The benchmark host. Arguments: --job short|dry, then optionally the benchmark classes to run (default: all).
//   short: Job.ShortRun (3 warm-ups, 3 iterations, one launch) in process with the emit toolchain: no second project
//          is generated and built, which is what makes `bench` practical on a 2-core machine. Prints the table.
//   dry:   Job.Dry, one cold invocation of each benchmark: proves it still runs; its figures mean nothing.
// Every benchmark method is first called once directly (and what an async one returns is awaited); one that throws (the
// stub's NotImplementedException) is reported and left out of the run instead of failing it. Last lines, one per benchmark, for the runner:
//   koans-bench: ok <Class>.<Method>   |   koans-bench: failed <Class>.<Method>: <why>
var jobName = "short";
var selected = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--job" && i + 1 < args.Length)
    {
        jobName = args[++i];
    }
    else
    {
        selected.Add(args[i]);
    }
}

var dry = jobName == "dry";
var job = (dry ? Job.Dry : Job.ShortRun).WithToolchain(InProcessEmitToolchain.DontLogOutput);
var types = typeof(Marker).Assembly.GetTypes()
    .Where(t => t.IsPublic && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
    .Where(t => selected.Count == 0 || selected.Contains(t.Name) || selected.Contains(t.FullName!))
    .OrderBy(t => t.FullName, StringComparer.Ordinal)
    .ToList();
if (types.Count == 0)
{
    Console.Error.WriteLine($"koans-bench: no benchmark class matches {string.Join(" ", selected)}");
    return 2;
}

var failures = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var type in types)
{
    foreach (var (method, why) in Probe.ThrowingMethods(type))
    {
        failures[$"{type.Name}.{method}"] = why;
        Console.WriteLine($"// {type.Name}.{method} threw {why}: left out of the run.");
    }
}

var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddExporter(MarkdownExporter.Console)
    .AddLogger(new ProgressLogger())
    .AddFilter(new SimpleFilter(c => !failures.ContainsKey($"{c.Descriptor.Type.Name}.{c.Descriptor.WorkloadMethod.Name}")))
    .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend))
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "koans-bench-" + Environment.ProcessId));

var summaries = BenchmarkRunner.Run([.. types], config);
var exit = failures.Count == 0 ? 0 : 1;
foreach (var summary in summaries)
{
    if (!dry)
    {
        Console.WriteLine();
        MarkdownExporter.Console.ExportToLog(summary, ConsoleLogger.Default);
    }

    foreach (var error in summary.ValidationErrors.Where(e => e.IsCritical))
    {
        Console.WriteLine($"koans-bench: failed {error.BenchmarkCase?.Descriptor.Type.Name ?? "config"}: {error.Message}");
        exit = 1;
    }

    foreach (var report in summary.Reports)
    {
        var name = $"{report.BenchmarkCase.Descriptor.Type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}";
        var ran = report.Success && report.ExecuteResults.Count > 0;
        Console.WriteLine(ran ? $"koans-bench: ok {name}" : $"koans-bench: failed {name}: BenchmarkDotNet could not run it");
        exit = ran ? exit : 1;
    }
}

foreach (var (name, why) in failures)
{
    Console.WriteLine($"koans-bench: failed {name}: threw {why}");
}

try
{
    Directory.Delete(Path.Combine(Path.GetTempPath(), "koans-bench-" + Environment.ProcessId), recursive: true);
}
catch (IOException)
{
    // Nothing was written there.
}

return exit;

/// <summary>Anchors the host assembly.</summary>
internal sealed class Marker;

internal static class Probe
{
    /// <summary>Calls every benchmark once (after [GlobalSetup]) and names those that throw, with the exception.</summary>
    public static IEnumerable<(string Method, string Why)> ThrowingMethods(Type type)
    {
        var instance = Activator.CreateInstance(type)!;
        var setup = type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null);
        setup?.Invoke(instance, null);
        foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
        {
            string? why = null;
            try
            {
                WaitFor(method.Invoke(instance, null));
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                why = $"{e.InnerException.GetType().Name}: {e.InnerException.Message}";
            }
            catch (Exception e)
            {
                // Rethrown by WaitFor: the exception an async benchmark stored in its task.
                why = $"{e.GetType().Name}: {e.Message}";
            }

            if (why is not null)
            {
                yield return (method.Name, why);
            }
        }
    }

    /// <summary>
    /// Waits for what an async benchmark returned (Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;) and rethrows its
    /// exception. An async method does not throw when called: a stub's NotImplementedException is stored in the task,
    /// so a probe that only calls the method sees success, and the benchmark fails later inside BenchmarkDotNet.
    /// A ValueTask is turned into a Task first: blocking on a ValueTask's own awaiter is not allowed before it completes.
    /// </summary>
    private static void WaitFor(object? result)
    {
        switch (result)
        {
            case Task task:
                task.GetAwaiter().GetResult();
                break;
            case ValueTask valueTask:
                valueTask.AsTask().GetAwaiter().GetResult();
                break;
            case not null when result.GetType().IsGenericType && result.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)result.GetType().GetMethod(nameof(ValueTask.AsTask), Type.EmptyTypes)!.Invoke(result, null)!;
                asTask.GetAwaiter().GetResult();
                break;
        }
    }
}

/// <summary>Shows which benchmark is running, not BenchmarkDotNet's whole log; the table comes at the end.</summary>
internal sealed class ProgressLogger : ILogger
{
    public string Id => "koans-progress";

    public int Priority => 0;

    public void Write(LogKind logKind, string text)
    {
    }

    public void WriteLine()
    {
    }

    public void WriteLine(LogKind logKind, string text)
    {
        if (text.StartsWith("// Benchmark: ", StringComparison.Ordinal))
        {
            Console.WriteLine(text);
        }
        else if (logKind == LogKind.Error)
        {
            Console.WriteLine(text);
        }
    }

    public void Flush() => Console.Out.Flush();
}
