using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Koans.Metaprogramming.SourceGenerator;

public class DescribeGeneratorTests
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private const string PeopleSource = """
        using Koans.Generated;

        namespace Sample.People;

        [Describe]
        public partial class Person
        {
            public string? Name { get; set; }
            public int Age { get; set; }
            public decimal Balance { get; set; }
            public string? City { get; set; }
            public static int Count { get; set; }
            private int Secret { get; set; }
            public int this[int index] => index;
            public int WriteOnly { set { } }

            public static Person Sample() => new() { Name = "Ada", Age = 36, Balance = 12.5m };
        }

        [Describe]
        public partial record struct Point(int X, int Y)
        {
            public static Point Sample() => new(3, -4);
        }

        [Describe]
        public partial class Box<T>
        {
            public T? Value { get; set; }
            public int? Weight { get; set; }
        }

        public static class BoxFactory
        {
            public static Box<string> Sample() => new() { Value = "gift" };
        }

        [Describe]
        public partial class Empty
        {
            public static Empty Sample() => new();
        }
        """;

    private const string GlobalSource = """
        [Koans.Generated.Describe]
        partial struct Coin
        {
            public bool Heads { get; init; }
            public static Coin Sample() => new() { Heads = true };
        }
        """;

    private static CSharpCompilation CompilationOf(params string[] sources) =>
        CSharpCompilation.Create("Sample",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new DescribeGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; an exception inside it (the driver catches those) is rethrown here.</summary>
    private static GeneratorRunResult Run(ref GeneratorDriver driver, Compilation compilation, out Compilation output)
    {
        // The driver is immutable: keep the driver it returns, which holds the cache for the next run.
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out _, TestContext.Current.CancellationToken);
        var result = driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(result.Exception);
        }
        return result;
    }

    [Fact]
    public void The_generated_code_compiles_and_describes_each_type()
    {
        var driver = NewDriver();
        var result = Run(ref driver, CompilationOf(PeopleSource, GlobalSource), out var output);

        result.Diagnostics.Should().BeEmpty("every marked type is partial and top-level");
        output.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).Should().BeEmpty(
                "the user's code and the generated code must compile without warnings, nullable ones included");

        var (descriptions, context) = LoadAndDescribe(output,
            ["Sample.People.Person", "Sample.People.Point", "Sample.People.BoxFactory", "Sample.People.Empty", "Coin"]);
        descriptions.Should().Equal(
            [
                "Person { Name = Ada, Age = 36, Balance = 12.5, City = null }",
                "Point { X = 3, Y = -4 }",
                "Box { Value = gift, Weight = null }",
                "Empty { }",
                "Coin { Heads = True }",
            ],
            "public instance properties with a getter, in declaration order, invariant culture, null as null; static, " +
            "private, indexer and set-only properties are not part of the description");

        for (var attempt = 0; attempt < 20 && context.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        context.IsAlive.Should().BeFalse("the collectible load context the test used must unload once released");
    }

    /// <summary>Emits the compilation, loads it into a collectible context, calls Sample().Describe() on each type.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string[] Descriptions, WeakReference Context) LoadAndDescribe(Compilation compilation, string[] typeNames)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        emitted.Success.Should().BeTrue(string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        var context = new AssemblyLoadContext("describe-generator-test", isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(image);
            var descriptions = typeNames.Select(name =>
            {
                var type = assembly.GetType(name, throwOnError: true)!;
                var sample = type.GetMethod("Sample", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;
                return (string)sample.GetType().GetMethod("Describe", Type.EmptyTypes)!.Invoke(sample, null)!;
            }).ToArray();
            return (descriptions, new WeakReference(context));
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Same_named_types_in_two_namespaces_or_of_two_arities_each_get_their_own_file()
    {
        const string source = """
            namespace Shop.Orders
            {
                [Koans.Generated.Describe]
                public partial class Item
                {
                    public int Id { get; set; }
                    public static Item Sample() => new() { Id = 7 };
                }
            }

            namespace Shop.Stock
            {
                [Koans.Generated.Describe]
                public partial class Item
                {
                    public int Count { get; set; }
                    public static Item Sample() => new() { Count = 2 };
                }

                [Koans.Generated.Describe]
                public partial record Price(decimal Amount, string Currency)
                {
                    public static Price Sample() => new(12.50m, "EUR");
                }

                [Koans.Generated.Describe]
                public partial class Pair
                {
                    public int Left { get; set; }
                    public static Pair Sample() => new() { Left = 1 };
                }

                [Koans.Generated.Describe]
                public partial class Pair<T>
                {
                    public T? Right { get; set; }
                }

                public static class PairFactory
                {
                    public static Pair<string> Sample() => new() { Right = "two" };
                }
            }
            """;
        var driver = NewDriver();
        var result = Run(ref driver, CompilationOf(source), out var output);

        result.GeneratedSources.Select(s => s.HintName).Should().OnlyHaveUniqueItems(
            "a hint name is a file name in the compilation: two Items (or Pair and Pair<T>) must not collide, so it " +
            "carries the namespace and the arity").And.HaveCount(6);
        var (descriptions, _) = LoadAndDescribe(output,
            ["Shop.Orders.Item", "Shop.Stock.Item", "Shop.Stock.Price", "Shop.Stock.Pair", "Shop.Stock.PairFactory"]);
        descriptions.Should().Equal(
            [
                "Item { Id = 7 }",
                "Item { Count = 2 }",
                "Price { Amount = 12.50, Currency = EUR }",
                "Pair { Left = 1 }",
                "Pair { Right = two }",
            ],
            "each type gets its own Describe(); a record class is a partial record, and its compiler-made " +
            "EqualityContract is not public");
    }

    [Fact]
    public void The_generated_code_uses_no_reflection()
    {
        var driver = NewDriver();
        var result = Run(ref driver, CompilationOf(PeopleSource), out _);

        result.GeneratedSources.Should().HaveCount(5, "the attribute, and one file per marked type");
        foreach (var generated in result.GeneratedSources)
        {
            var text = generated.SourceText.ToString();
            text.Should().NotContainAny(["GetType(", "typeof(", "System.Reflection", "GetProperties", "GetProperty("],
                $"{generated.HintName} must do at build time what reflection would do at run time");
        }
        result.GeneratedSources.Select(s => s.SourceText.ToString()).Should().Contain(
            text => text.Contains("class DescribeAttribute"), "the generator emits its own attribute");
    }

    [Fact]
    public void A_type_that_is_not_partial_or_is_nested_is_an_error_at_its_name()
    {
        const string source = """
            using Koans.Generated;
            namespace Sample;

            [Describe]
            public class Sealed { public int A { get; set; } }

            public partial class Outer
            {
                [Describe]
                public partial class Inner { }
            }

            [Describe]
            public partial class Fine { public int A { get; set; } }
            """;
        var driver = NewDriver();
        var result = Run(ref driver, CompilationOf(source), out _);

        result.Diagnostics.Select(d => (d.Id, d.Severity, d.Location.GetLineSpan().StartLinePosition.Line,
                d.Location.GetLineSpan().StartLinePosition.Character, d.Location.GetLineSpan().Path))
            .Should().Equal(
                [
                    ("KOANGEN001", DiagnosticSeverity.Error, 4, 13, "Source0.cs"), // 'Sealed'
                    ("KOANGEN001", DiagnosticSeverity.Error, 9, 25, "Source0.cs"), // 'Inner'
                ],
                "the error sits on the type's name (0-based line and column here, as Roslyn reports them), in the " +
                "user's file: a diagnostic without a location cannot be clicked");
        result.GeneratedSources.Select(s => s.HintName).Should().HaveCount(2,
            "the attribute and Fine; nothing for the two rejected types");
    }

    [Fact]
    public void A_second_run_on_the_same_compilation_comes_from_the_cache()
    {
        var compilation = CompilationOf(PeopleSource);
        var driver = NewDriver();
        Run(ref driver, compilation, out _);
        var second = Run(ref driver, compilation, out _);

        second.TrackedSteps.Should().ContainKey(DescribeGenerator.ModelStepName,
            $"the model step is named with WithTrackingName(\"{DescribeGenerator.ModelStepName}\")");
        second.TrackedSteps[DescribeGenerator.ModelStepName].SelectMany(step => step.Outputs)
            .Should().HaveCount(4).And.OnlyContain(output => output.Reason == IncrementalStepRunReason.Cached ||
                                                             output.Reason == IncrementalStepRunReason.Unchanged,
                "nothing changed, so every model is the one from the first run");
        second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs)
            .Should().OnlyContain(output => output.Reason == IncrementalStepRunReason.Cached,
                "and every generated file comes from the cache: nothing is rendered again");
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_models_unchanged()
    {
        var compilation = CompilationOf(PeopleSource);
        var driver = NewDriver();
        Run(ref driver, compilation, out _);
        var edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Sample; public class Unrelated { public int B { get; set; } }", ParseOptions,
                path: "Unrelated.cs", cancellationToken: TestContext.Current.CancellationToken));
        var second = Run(ref driver, edited, out _);

        second.TrackedSteps[DescribeGenerator.ModelStepName].SelectMany(step => step.Outputs)
            .Should().OnlyContain(output => output.Reason == IncrementalStepRunReason.Cached ||
                                            output.Reason == IncrementalStepRunReason.Unchanged,
                "the new compilation re-runs the transform, and its models must be EQUAL to the old ones: a model " +
                "holding a symbol, a syntax node, the compilation or a plain array never is");
        second.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs)
            .Should().OnlyContain(output => output.Reason == IncrementalStepRunReason.Cached ||
                                            output.Reason == IncrementalStepRunReason.Unchanged,
                "equal models mean no file is generated again");
    }

    [Fact]
    public void The_models_hold_no_Roslyn_objects()
    {
        var driver = NewDriver();
        var result = Run(ref driver, CompilationOf(PeopleSource), out _);

        foreach (var output in result.TrackedSteps[DescribeGenerator.ModelStepName].SelectMany(step => step.Outputs))
        {
            ShouldHoldNoRoslynObjects(output.Value, "model", new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
        }
    }

    private static void ShouldHoldNoRoslynObjects(object? value, string path, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 8)
        {
            return;
        }
        (value is ISymbol or Compilation or SyntaxNode or SemanticModel or SyntaxTree or Location).Should().BeFalse(
            $"{path} is a {value.GetType().Name}: models are cached and compared between runs, and Roslyn objects " +
            "are neither equatable across compilations nor small (they keep whole compilations alive)");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }
        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                ShouldHoldNoRoslynObjects(item, $"{path}[{index++}]", seen, depth + 1);
            }
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            ShouldHoldNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen, depth + 1);
        }
    }

    [Fact]
    public void Editing_a_marked_type_regenerates_its_code()
    {
        var compilation = CompilationOf(PeopleSource);
        var driver = NewDriver();
        Run(ref driver, compilation, out _);
        var oldTree = compilation.SyntaxTrees.Single();
        var newTree = oldTree.WithChangedText(oldTree.GetText(TestContext.Current.CancellationToken).Replace(
            PeopleSource.IndexOf("public int Age", StringComparison.Ordinal), 0, "public long Visits { get; set; }\n    "));
        var second = Run(ref driver, compilation.ReplaceSyntaxTree(oldTree, newTree), out var output);

        second.TrackedSteps[DescribeGenerator.ModelStepName].SelectMany(step => step.Outputs)
            .Should().Contain(step => step.Reason == IncrementalStepRunReason.Modified,
                "the Person model changed; a cache that never invalidates is as wrong as one that never hits");
        var (descriptions, _) = LoadAndDescribe(output, ["Sample.People.Person"]);
        descriptions.Should().Equal(["Person { Name = Ada, Visits = 0, Age = 36, Balance = 12.5, City = null }"]);
    }
}
