using System.Diagnostics;

namespace Koans.Performance.Simd;

/// <summary>
/// The same tests, run again in a child process on a machine that pretends to lack SIMD: the runtime reads
/// DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 at start-up, so only a new process can test the fallback paths.
/// </summary>
public class VectorMathFallbackTests
{
    [Fact]
    public void The_tests_pass_without_AVX2() => RunTheOtherTestsWith("DOTNET_EnableAVX2");

    [Fact]
    public void The_tests_pass_without_any_hardware_intrinsics() => RunTheOtherTestsWith("DOTNET_EnableHWIntrinsic");

    private static void RunTheOtherTestsWith(string variable)
    {
        // Reach your code here first: on the stub this fails right away, for the right reason.
        VectorMath.Sum([1, 2]).Should().Be(3);
        if (Environment.GetEnvironmentVariable(VectorMathTests.ChildRunVariable) is not null)
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     typeof(VectorMathTests).Assembly.Location, "--no-progress", "--no-ansi",
                     "--filter-not-class", typeof(VectorMathFallbackTests).FullName!,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[variable] = "0";
        start.Environment[VectorMathTests.ChildRunVariable] = variable;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        // A hang guard, not a measurement: the child run takes a few seconds.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The child test run with {variable}=0 did not finish.");
        }

        var log = output.Result + errors.Result;
        process.ExitCode.Should().Be(0, $"every test must also pass with {variable}=0 (the fallback path). The child run said:\n{log}");
        log.Should().Contain("failed: 0", "the child run must have run the tests");
    }
}
