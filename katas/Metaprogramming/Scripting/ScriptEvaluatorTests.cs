using Microsoft.CodeAnalysis.Scripting;

namespace Koans.Metaprogramming.Scripting;

// One test class on purpose: xunit runs classes in parallel, and the assembly-count test needs no other test loading
// assemblies at the same time.
public sealed class ScriptEvaluatorTests : IDisposable
{
    private readonly ScriptEvaluator _evaluator = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("koans-scripting-").FullName;

    private static readonly OrderGlobals Order = new() { Price = 12.5m, Quantity = 3, Customer = "Ada" };

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_script_reads_the_globals_as_variables()
    {
        (await _evaluator.EvaluateAsync<decimal>("Price * Quantity", Order, Token)).Should().Be(37.5m);
        (await _evaluator.EvaluateAsync<string>("Customer.ToUpperInvariant() + \"!\"", Order, Token)).Should().Be("ADA!");
        (await _evaluator.EvaluateAsync<decimal>("new[] { Price, 20m, 3m }.Max()", Order, Token)).Should().Be(20m,
            "System.Linq is imported");
        (await _evaluator.EvaluateAsync<decimal>("Math.Round(Price / 3, 2)", Order, Token)).Should().Be(4.17m,
            "System is imported");
        var discounted = new OrderGlobals
        {
            Price = 10m, Quantity = 2, Customer = "vip", LookupDiscountAsync = c => Task.FromResult(c == "vip" ? 5m : 0m),
        };
        (await _evaluator.EvaluateAsync<decimal>("Price * Quantity - await LookupDiscountAsync(Customer)", discounted, Token))
            .Should().Be(15m, "a script may await");
    }

    [Fact]
    public async Task Evaluating_the_same_script_200_times_compiles_it_once()
    {
        await _evaluator.EvaluateAsync<int>("Quantity + 1", Order, Token); // warm up: loads Roslyn itself
        var loadedBefore = LoadedScriptAssemblies();

        for (var quantity = 0; quantity < 200; quantity++)
        {
            var globals = new OrderGlobals { Price = 2m, Quantity = quantity };
            (await _evaluator.EvaluateAsync<decimal>("Price * Quantity + 0.5m", globals, Token)).Should().Be(2m * quantity + 0.5m,
                "the cache holds the compiled script, not a result: each call runs it with its own globals");
        }

        var loaded = LoadedScriptAssemblies() - loadedBefore;
        loaded.Should().BeLessThanOrEqualTo(3,
            "every compilation of a script loads a new assembly that is never unloaded: 200 evaluations must reuse one " +
            $"compiled delegate, but {loaded} assemblies were loaded");
    }

    // Roslyn names every compiled script's assembly "\u211B*<guid>#..." (ScriptBuilder); counting only those keeps the
    // test blind to assemblies the framework or the test host load lazily meanwhile.
    private static int LoadedScriptAssemblies() =>
        AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name?.StartsWith("\u211B*", StringComparison.Ordinal) == true);

    [Fact]
    public async Task The_cache_tells_result_types_apart()
    {
        (await _evaluator.EvaluateAsync<int>("Quantity * 2", Order, Token)).Should().Be(6);
        (await _evaluator.EvaluateAsync<long>("Quantity * 2", Order, Token)).Should().Be(6L,
            "the same text compiled for long is a different script: a cache keyed by the text alone would hand back " +
            "the int version");
        (await _evaluator.EvaluateAsync<decimal>("Quantity * 2", Order, Token)).Should().Be(6m);
    }

    [Fact]
    public async Task Only_the_three_namespaces_are_imported_and_compile_errors_surface()
    {
        var notImported = () => _evaluator.EvaluateAsync<string>("Path.Combine(\"a\", \"b\")", Order, Token);
        await notImported.Should().ThrowAsync<CompilationErrorException>(
            "System.IO is not imported: Path means nothing to the compiler (and writing System.IO.Path is forbidden)");

        var broken = () => _evaluator.EvaluateAsync<decimal>("Price *", Order, Token);
        await broken.Should().ThrowAsync<CompilationErrorException>("a syntax error is a compile error");
    }

    [Theory]
    [InlineData("System.IO.File.Delete(Customer)", "System.IO")]
    [InlineData("using static System.IO.File;\nDelete(Customer);", "System.IO")]
    [InlineData("using Files = System.IO.File;\nFiles.Delete(Customer);", "System.IO")]
    [InlineData("Func<string, bool> exists = System.IO.File.Exists;\nexists(Customer)", "System.IO")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\")", "System.Diagnostics")]
    [InlineData("new System.Diagnostics.Process()", "System.Diagnostics")]
    [InlineData("typeof(string).Assembly.GetTypes().Length", "Type")]
    [InlineData("Customer.GetType().GetMethods().Length", "Type")]
    [InlineData("var t = typeof(int);\nt.Name", "Type")]
    [InlineData("Type.GetType(\"System.IO.File\") != null", "Type")]
    [InlineData("Activator.CreateInstance<object>() != null", "Activator")]
    [InlineData("Environment.GetEnvironmentVariable(\"HOME\")", "Environment")]
    [InlineData("AppDomain.CurrentDomain.BaseDirectory", "AppDomain")]
    [InlineData("((dynamic)Customer).Length", "dynamic")]
    [InlineData("System.Runtime.InteropServices.Marshal.SizeOf<int>()", "System.Runtime")]
    [InlineData("System.Threading.Thread.Sleep(0);", "System.Threading")]
    [InlineData("new System.Net.Http.HttpClient()", "System.Net")]
    [InlineData("System.Linq.Expressions.Expression.Constant(1).ToString()", "System.Linq.Expressions")]
    [InlineData("GC.Collect();", "GC")]
    [InlineData("Console.Out.WriteLine(Customer);", "System.IO")]
    [InlineData("Console.OpenStandardInput().ReadByte()", "System.IO")]
    [InlineData("TimeProvider.System.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.Zero)", "System.Threading")]
    public async Task A_script_that_touches_a_forbidden_API_is_rejected(string code, string api)
    {
        var evaluate = () => _evaluator.EvaluateAsync<object>(code, Order, Token);
        (await evaluate.Should().ThrowAsync<ScriptRejectedException>(
                $"the script reaches {api} (through whatever name it uses); the check must look at what names bind " +
                "to, not at the text"))
            .Which.ForbiddenApi.Should().Contain(api);
    }

    [Fact]
    public async Task A_rejected_script_never_runs()
    {
        var victim = Path.Combine(_directory, "keep-me.txt");
        await File.WriteAllTextAsync(victim, "important", Token);
        var created = Path.Combine(_directory, "created.txt");

        var delete = () => _evaluator.EvaluateAsync<object>("System.IO.File.Delete(Customer); 1",
            new OrderGlobals { Customer = victim }, Token);
        await delete.Should().ThrowAsync<ScriptRejectedException>();
        var write = () => _evaluator.EvaluateAsync<object>("System.IO.File.WriteAllText(Customer, \"pwned\"); 1",
            new OrderGlobals { Customer = created }, Token);
        await write.Should().ThrowAsync<ScriptRejectedException>();

        File.Exists(victim).Should().BeTrue("the check runs before the script: rejecting after running is too late");
        File.Exists(created).Should().BeFalse();
    }

    [Fact]
    public async Task Hash_r_cannot_pull_in_an_assembly_and_hash_load_cannot_pull_in_a_file()
    {
        var victim = Path.Combine(_directory, "keep-me.txt");
        await File.WriteAllTextAsync(victim, "important", Token);
        // Microsoft.VisualBasic.Core ships with the shared framework, and its FileSystem deletes files from a namespace
        // the forbidden list does not name: only the references decide that a script cannot reach it.
        var visualBasic = typeof(Microsoft.VisualBasic.FileIO.FileSystem).Assembly.Location;

        var directive = () => _evaluator.EvaluateAsync<int>(
            $"#r \"{visualBasic}\"\nMicrosoft.VisualBasic.FileIO.FileSystem.DeleteFile(Customer);\n1",
            new OrderGlobals { Customer = victim }, Token);
        await directive.Should().ThrowAsync<CompilationErrorException>(
            "#r must resolve nothing: a script that can reference any assembly by path can reach any API, and the " +
            "default resolver finds this one");
        var unreferenced = () => _evaluator.EvaluateAsync<int>(
            "Microsoft.VisualBasic.FileIO.FileSystem.DeleteFile(Customer);\n1", new OrderGlobals { Customer = victim }, Token);
        await unreferenced.Should().ThrowAsync<CompilationErrorException>(
            "the script sees the framework's System.* assemblies and the globals' assembly, not every assembly the " +
            "process happens to have loaded or could load");
        File.Exists(victim).Should().BeTrue();

        var helper = Path.Combine(_directory, "helper.csx");
        await File.WriteAllTextAsync(helper, "var fromFile = 42;", Token);
        var load = () => _evaluator.EvaluateAsync<int>($"#load \"{helper}\"\nfromFile", Order, Token);
        await load.Should().ThrowAsync<CompilationErrorException>(
            "#load must resolve nothing: the script's text is all the code there is, and all the code the check sees");
    }

    [Fact]
    public async Task The_rejection_points_at_the_first_forbidden_use()
    {
        var evaluate = () => _evaluator.EvaluateAsync<object>(
            "var total = Price * Quantity;\nvar label = \"System.IO.File.Delete\";\n  System.IO.File.Delete(Customer);\ntotal",
            Order, Token);
        var rejection = (await evaluate.Should().ThrowAsync<ScriptRejectedException>()).Which;

        rejection.Line.Should().Be(3, "line 2 only has the words in a string; line 3 calls File.Delete");
        rejection.Column.Should().Be(3, "1-based, after the two spaces of indentation");
    }

    [Fact]
    public async Task Names_that_only_look_dangerous_are_allowed()
    {
        const string code = """
            int Delete(int x) => x * 2;
            var File = "System.IO.File.Delete";
            var Process = new List<int> { Quantity };
            Delete(Process.Sum()) + File.Length
            """;
        (await _evaluator.EvaluateAsync<int>(code, Order, Token)).Should().Be(6 + 21,
            "a local function called Delete and variables called File and Process are the script's own");
    }

    [Fact]
    public async Task An_already_cancelled_token_runs_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var calls = 0;
        var globals = new OrderGlobals { LookupDiscountAsync = _ => Task.FromResult((decimal)++calls) };

        var evaluate = () => _evaluator.EvaluateAsync<decimal>("await LookupDiscountAsync(Customer)", globals, cancelled.Token);
        await evaluate.Should().ThrowAsync<OperationCanceledException>();
        calls.Should().Be(0, "the script must not start once the caller has cancelled");
    }

    [Fact]
    public async Task An_already_cancelled_token_compiles_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var broken = () => _evaluator.EvaluateAsync<decimal>("Price *", Order, cancelled.Token);
        await broken.Should().ThrowAsync<OperationCanceledException>(
            "the caller has given up: compiling (which also loads an assembly for good) is work nobody will use, so " +
            "the token is checked before the compiler could find the syntax error");
        var forbidden = () => _evaluator.EvaluateAsync<object>("System.IO.File.Delete(Customer); 1", Order, cancelled.Token);
        await forbidden.Should().ThrowAsync<OperationCanceledException>("nor is there any point checking the script");
    }

    [Fact]
    public async Task Cancelling_while_the_script_awaits_cancels_the_evaluation()
    {
        var discount = new TaskCompletionSource<decimal>(TaskCreationOptions.RunContinuationsAsynchronously);
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var globals = new OrderGlobals
        {
            Price = 10m, Quantity = 1,
            LookupDiscountAsync = _ => { called.TrySetResult(); return discount.Task; },
        };
        using var cancellation = new CancellationTokenSource();

        var evaluation = _evaluator.EvaluateAsync<decimal>("Price - await LookupDiscountAsync(Customer)", globals,
            cancellation.Token);
        await called.Task.WaitAsync(TimeSpan.FromSeconds(60), Token); // hang guard only: the script reaches its await
        evaluation.IsCompleted.Should().BeFalse("the script is waiting for the discount");

        await cancellation.CancelAsync();
        var waiting = () => evaluation.WaitAsync(TimeSpan.FromSeconds(5), Token); // hang guard only
        await waiting.Should().ThrowAsync<OperationCanceledException>(
            "the caller cancelled: the evaluation must end now, even though the script's await never completes");

        discount.SetResult(0m); // let the abandoned script finish
    }

    [Fact]
    public async Task Null_arguments_are_ArgumentNullException()
    {
        var noCode = () => _evaluator.EvaluateAsync<int>(null!, Order, Token);
        await noCode.Should().ThrowAsync<ArgumentNullException>().WithParameterName("code");
        var noGlobals = () => _evaluator.EvaluateAsync<int>("1", null!, Token);
        await noGlobals.Should().ThrowAsync<ArgumentNullException>().WithParameterName("globals");
    }
}
