using System.CommandLine;
using Koans.Runner;

var ui = new Ui();
string root;
try
{
    root = FindRoot();
}
catch (KoansException e)
{
    ui.Problem(e.Message);
    return 2;
}

// Contributors who change a kata's tests on purpose: KOANS_ALLOW_TEST_CHANGES=1 lets a run count against them.
var commands = new Commands(root, ui, checkPublishedTests: Environment.GetEnvironmentVariable("KOANS_ALLOW_TEST_CHANGES") != "1");

var json = new Option<string?>("--json") { Description = "Also write the results to this file, in the shape of Exercism's results.json (version 3)." };
var kataArgument = new Argument<string>("kata") { Description = "A kata id (crypto.hmac), its short name (hmac) or its folder (Crypto/Hmac)." };
var optionalKata = new Argument<string?>("kata") { Description = "A kata; the current one when left out.", Arity = ArgumentArity.ZeroOrOne };
var target = new Argument<string>("kata-or-section") { Description = "A kata (crypto.hmac) or a whole section (crypto)." };

// Learners start it as ./run-katas.sh, so the help says so (a RootCommand would name the assembly, koans-runner).
var rootCommand = new Command(
    "./run-katas.sh",
    "Koans: advanced C# as failing tests. With no command: test the katas in order and show the first one that is not done yet.")
{
    json,
    new System.CommandLine.Help.HelpOption(),
};
rootCommand.SetAction((result, ct) => Guard(() => commands.PathAsync(result.GetValue(json), ct)));

var list = new Command("list", "Every kata, in order, with its status.");
list.SetAction((_, _) => Guard(commands.ListAsync));

var hint = new Command("hint", "The next hint for a kata (the current one by default); it remembers which you have seen.") { optionalKata };
hint.SetAction((result, _) => Guard(() => commands.HintAsync(result.GetValue(optionalKata))));

var run = new Command("run", "Build and test one kata or a whole section, and show every failure.") { target, json };
run.SetAction((result, ct) => Guard(() => commands.RunAsync(result.GetValue(target)!, result.GetValue(json), ct)));

var watch = new Command("watch", "Re-test the current kata every time you save; move on when it passes.") { optionalKata };
watch.SetAction((result, ct) => Guard(() => new Watch(commands, ui).RunAsync(result.GetValue(optionalKata), ct)));

var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
var reset = new Command("reset", "Put a kata's stub back exactly as published (asks first; keeps a backup of your version).") { kataArgument, yes };
reset.SetAction((result, ct) => Guard(() => commands.ResetAsync(result.GetValue(kataArgument)!, result.GetValue(yes), ct)));

var mentor = new Option<bool>("--mentor") { Description = "Show it even if the kata does not pass yet (for mentors)." };
var solution = new Command("solution", "The reference solution and mentor notes, once your kata passes.") { kataArgument, mentor };
solution.SetAction((result, ct) => Guard(() => commands.SolutionAsync(result.GetValue(kataArgument)!, result.GetValue(mentor), ct)));

var trackOption = new Option<string>("--track") { Description = "katas, solutions or both.", DefaultValueFactory = _ => "both" };
var sectionOption = new Option<string?>("--section") { Description = "Only this section (crypto, concurrency, …)." };
var kataOption = new Option<string?>("--kata") { Description = "Only this kata." };
var noRunnerTests = new Option<bool>("--no-runner-tests") { Description = "Skip the runner's own tests." };
var verify = new Command("verify", "The project's test command: every solution passes, every stub fails for the right reason, the metadata lint, the runner's own tests.")
{
    trackOption, sectionOption, kataOption, noRunnerTests,
};
verify.SetAction((result, ct) => Guard(() =>
{
    var trackValue = result.GetValue(trackOption) ?? "both";
    IReadOnlyList<Track> tracks = trackValue == "both" ? [Track.Solutions, Track.Katas] : [TrackNames.Parse(trackValue)];
    var options = new VerifyOptions(tracks, result.GetValue(sectionOption), result.GetValue(kataOption), !result.GetValue(noRunnerTests));
    return new Verify(root, ui).RunAsync(options, ct);
}));

var bench = new Command("bench", "Measure a kata with BenchmarkDotNet: the naive baseline, your code and the reference side by side (Release, Job.ShortRun).") { kataArgument };
bench.SetAction((result, ct) => Guard(() => new Bench(root, ui).RunAsync(result.GetValue(kataArgument)!, ct)));

var lockStubs = new Command("lock", "For maintainers: record the published kata files in infra/katas.lock (reset restores stubs from it).");
lockStubs.SetAction((_, _) => Guard(commands.LockStubsAsync));

var concurrency = new Option<int>("--concurrency") { Description = "Parallel test sessions for Stryker (1 or 2 on a small machine).", DefaultValueFactory = _ => Math.Clamp(Environment.ProcessorCount, 1, 2) };
var mutate = new Command("mutate", "For maintainers: Stryker.NET mutation testing of a kata's reference against its tests; prints the score and every surviving mutant.") { target, concurrency };
mutate.SetAction((result, ct) => Guard(() => new Mutate(root, ui).RunAsync(result.GetValue(target)!, new MutateOptions(result.GetValue(concurrency)), ct)));
var (review, report) = MentorCommands.Create(root, ui, kataArgument, Guard);
var dojo = DojoCommand.Create(commands, ui, kataArgument, Guard);

foreach (var command in new[] { list, hint, run, watch, reset, solution, review, report, dojo, verify, bench, lockStubs, mutate })
{
    rootCommand.Subcommands.Add(command);
}

return await rootCommand.Parse(args).InvokeAsync();

async Task<int> Guard(Func<Task<int>> action)
{
    try
    {
        return await action();
    }
    catch (KoansException e)
    {
        ui.Problem(e.Message);
        return 2;
    }
    catch (OperationCanceledException)
    {
        ui.Note("Stopped.");
        return 130;
    }
    catch (UnauthorizedAccessException e)
    {
        ui.Problem($"Permission denied: {e.Message} Make the checkout writable for your user (the runner writes artifacts/ and .koans/), then try again.");
        return 2;
    }
    catch (OutOfMemoryException)
    {
        ui.Problem("The runner ran out of memory. If a kata's code writes or allocates without bound, fix that first; otherwise please report it.");
        return 3;
    }
    catch (Exception e) when (Environment.GetEnvironmentVariable("KOANS_DEBUG") != "1")
    {
        ui.Problem($"The runner hit an internal error ({e.GetType().Name}: {e.Message}). Run again with KOANS_DEBUG=1 for details, and please report it.");
        return 3;
    }
}

static string FindRoot()
{
    var fromWrapper = Environment.GetEnvironmentVariable("KOANS_ROOT");
    if (!string.IsNullOrEmpty(fromWrapper) && File.Exists(Path.Combine(fromWrapper, Catalog.PathFile)))
    {
        return Path.GetFullPath(fromWrapper);
    }

    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, Catalog.PathFile)))
        {
            return directory.FullName;
        }
    }

    throw new KoansException("This is not inside a Koans checkout (no katas/path.json above the current folder): cd into the folder with run-katas.sh and try again.");
}
