using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Koans.Quality.Nullable;

// The expected warning ids below are what the C# compiler reports (Microsoft.CodeAnalysis.CSharp 5.12.0, the version
// pinned in Directory.Packages.props); each is documented at
// https://learn.microsoft.com/dotnet/csharp/language-reference/compiler-messages/nullable-warnings.
public partial class NullableTests
{
    [Fact]
    public void Analyze_reports_each_nullable_warning_with_its_id_and_line()
    {
        const string sample = """
            public class Sample
            {
                private string _name;
                public string Find(int id) => id > 0 ? "found" : null;
                public int Length(string? text) => text.Length;
                public void Rename(string name) => _name = name;
            }
            """;

        var warnings = NullableCheck.Analyze(sample);

        warnings.Select(w => (w.Source, w.Line, w.Id)).Should().Equal(
            [(0, 3, "CS8618"), (0, 4, "CS8603"), (0, 5, "CS8602")],
            "a non-nullable field nobody initializes (CS8618), null returned as a string (CS8603) and a string? " +
            "dereferenced (CS8602), in line order; no warning at all means nullable analysis was never enabled");
    }

    [Fact]
    public void Analyze_reports_broken_promises_of_the_nullable_attributes()
    {
        const string sample = """
            using System.Diagnostics.CodeAnalysis;

            public class Promises
            {
                private string? _cache;
                [MemberNotNull(nameof(_cache))]
                public void Load() { }
                public bool TryGet([NotNullWhen(true)] out string? value) { value = null; return true; }
                [return: NotNullIfNotNull(nameof(input))]
                public string? Echo(string? input)
                {
                    if (input is null) return null;
                    return null;
                }
            }
            """;

        var warnings = NullableCheck.Analyze(sample);

        warnings.Select(w => w.Id).Should().BeEquivalentTo(["CS8774", "CS8762", "CS8825"],
            "a [MemberNotNull] method that leaves the member null (CS8774), [NotNullWhen(true)] with null on true " +
            "(CS8762) and [return: NotNullIfNotNull] broken (CS8825) are nullable warnings too, outside CS86xx: use " +
            "the compiler's own nullable group, not a prefix");
    }

    [Fact]
    public void Analyze_reports_nothing_but_nullable_warnings()
    {
        const string sample = """
            public class Untidy
            {
                public int Compute()
                {
                    int unused;
                    var assigned = 42;
                    return 1;
                    System.Console.WriteLine("unreachable");
                }

                public async System.Threading.Tasks.Task<int> NoAwait() => 1;
            }
            """;

        var warnings = NullableCheck.Analyze(sample);

        warnings.Should().BeEmpty(
            "an unused variable (CS0168), an unused assignment (CS0219), unreachable code (CS0162) and an async " +
            "method without await (CS1998) are warnings, but not about null: the checker reports only its own kind");
    }

    [Fact]
    public void Analyze_refuses_source_that_does_not_compile_with_ArgumentException()
    {
        var act = () => NullableCheck.Analyze("public class Broken { public string Name => undefinedName; }");

        act.Should().Throw<ArgumentException>(
            "code that does not build has no nullable analysis worth reading: an empty report must never mean 'did not compile'");
    }

    [Fact]
    public void Analyze_compiles_the_sources_together_and_says_which_one_each_warning_is_in()
    {
        const string library = """
            public class Library
            {
                public static string? Lookup(int id) => id > 0 ? "x" : null;
                public static string Careless() => null;
            }
            """;
        const string caller = """
            public class Caller
            {
                public int Use() => Library.Lookup(1).Length;
            }
            """;

        var warnings = NullableCheck.Analyze(library, caller);

        warnings.Select(w => (w.Source, w.Line, w.Id)).Should().Equal([(0, 4, "CS8603"), (1, 3, "CS8602")],
            "the library (source 0) returns null as a string, and the caller (source 1) sees the library's string? " +
            "and must check it; warnings come in source order, then line order");
    }

    [Fact]
    public void The_inventory_library_has_no_nullable_warnings()
    {
        var source = InventorySource();

        var warnings = NullableCheck.Analyze(source);

        warnings.Should().BeEmpty("Inventory.cs must build clean with nullable reference types enabled; warnings: " +
            string.Join("; ", warnings.Select(w => $"line {w.Line} {w.Id} {w.Message}")));
    }

    [Fact]
    public void The_inventory_library_is_annotated_without_suppressions_or_directives()
    {
        var source = InventorySource();
        NullableCheck.Analyze(source).Should().BeEmpty("the library must first be clean (see The_inventory_library_has_no_nullable_warnings)");
        var root = CSharpSyntaxTree.ParseText(source, cancellationToken: TestContext.Current.CancellationToken).GetRoot(TestContext.Current.CancellationToken);

        var suppressions = root.DescendantNodes().OfType<PostfixUnaryExpressionSyntax>()
            .Count(e => e.IsKind(SyntaxKind.SuppressNullableWarningExpression));
        var nullableDirectives = root.DescendantTrivia().Count(t => t.IsKind(SyntaxKind.NullableDirectiveTrivia));
        var pragmas = root.DescendantTrivia().Count(t => t.IsKind(SyntaxKind.PragmaWarningDirectiveTrivia));

        suppressions.Should().Be(0,
            "each `!` tells the compiler 'trust me' at the one place it could have helped; annotate the contract instead");
        nullableDirectives.Should().Be(0, "#nullable disable (or restore) switches the analysis off instead of satisfying it");
        pragmas.Should().Be(0, "#pragma warning disable hides the warnings instead of fixing their cause");
    }

    [Fact]
    public void Find_returns_null_for_an_unknown_sku_and_callers_must_check_it()
    {
        var inventory = new Inventory();
        inventory.Add(new Product("wid-1", "Widget", "A widget"));
        (inventory.Find(" WID-1 ")?.Name).Should().Be("Widget", "Find normalizes the SKU first");
        inventory.Find("nope").Should().BeNull("an unknown SKU is not an error: Find says 'none' with null");

        CallerWarnings("""
                public static int Unchecked(Inventory inventory) => inventory.Find("x").Name.Length; // CS8602
                public static int Checked(Inventory inventory) => inventory.Find("x")?.Name.Length ?? 0;
            """, "Find can return null, so its return type must say so: callers that dereference it unchecked are warned");
    }

    [Fact]
    public void TryFind_returns_the_product_and_callers_may_use_it_only_when_it_returned_true()
    {
        var inventory = new Inventory();
        inventory.Add(new Product("wid-1", "Widget", null));
        inventory.TryFind("wid-1", out var found).Should().BeTrue();
        (found?.Name).Should().Be("Widget");
        inventory.TryFind("nope", out var missing).Should().BeFalse();
        missing.Should().BeNull();

        CallerWarnings("""
                public static string OnTrue(Inventory inventory) => inventory.TryFind("x", out var p) ? p.Name : "none";
                public static string Ignored(Inventory inventory)
                {
                    inventory.TryFind("x", out var p);
                    return p.Name; // CS8602
                }
            """, "the out product is null exactly when TryFind returns false: no warning inside `if (TryFind(...))`, " +
                 "a warning when the result is ignored");
    }

    [Fact]
    public void Select_sets_Current_and_callers_may_use_it_afterwards_without_a_check()
    {
        var inventory = new Inventory();
        inventory.Add(new Product("wid-1", "Widget", null));
        inventory.Current.Should().BeNull("nothing is selected yet");
        inventory.Select("wid-1");
        (inventory.Current?.Sku).Should().Be("wid-1");
        var act = () => inventory.Select("nope");
        act.Should().Throw<KeyNotFoundException>("Select never leaves Current null: it throws instead");

        CallerWarnings("""
                public static string Before(Inventory inventory) => inventory.Current.Name; // CS8602
                public static string After(Inventory inventory)
                {
                    inventory.Select("x");
                    return inventory.Current.Name;
                }
            """, "Current is null until Select succeeds, and never null after it: callers are warned before, not after");
    }

    [Fact]
    public void Normalize_keeps_null_as_null_and_callers_passing_a_string_get_a_string()
    {
        Inventory.Normalize("  wid-1 ").Should().Be("WID-1");
        Inventory.Normalize(null).Should().BeNull("legacy callers pass null through Normalize");

        CallerWarnings("""
                public static int FromString(string sku) => Inventory.Normalize(sku).Length;
                public static int FromMaybe(string? sku) => Inventory.Normalize(sku).Length; // CS8602
                public static string? PassNull() => Inventory.Normalize(null);
            """, "Normalize returns null only for null: a caller with a string gets a string, a caller with a string? " +
                 "gets a string?, and passing null is allowed");
    }

    [Fact]
    public void IsBlank_is_false_only_for_text_and_callers_may_use_the_text_then()
    {
        Inventory.IsBlank(null).Should().BeTrue();
        Inventory.IsBlank(" \t").Should().BeTrue();
        Inventory.IsBlank("x").Should().BeFalse();

        CallerWarnings("""
                public static int LengthOrZero(string? text) => Inventory.IsBlank(text) ? 0 : text.Length;
                public static int Careless(string? text) => Inventory.IsBlank(text) ? text.Length : 0; // CS8602
            """, "IsBlank accepts null, and when it returns false the text is certainly not null");
    }

    [Fact]
    public void Product_descriptions_may_be_missing_and_callers_are_warned_to_check()
    {
        var legacy = new Product("old-1", "Old", null);
        legacy.Description.Should().BeNull();
        var inventory = new Inventory();
        inventory.Add(legacy);
        inventory.Add(new Product("wid-1", "Widget", "A widget"));
        inventory.DescribeOrDefault("wid-1").Should().Be("A widget");
        inventory.DescribeOrDefault("old-1").Should().Be("(no description)");
        inventory.DescribeOrDefault("nope").Should().Be("(no description)");

        CallerWarnings("""
                public static Product Import(string sku) => new Product(sku, "Imported", null);
                public static int DescriptionLength(Product product) => product.Description.Length; // CS8602
                public static int NameLength(Product product) => product.Name.Length;
                public static int Describe(Inventory inventory) => inventory.DescribeOrDefault("x").Length;
            """, "a description may be null (so reading it is checked), a name may not, and DescribeOrDefault never returns null");
    }

    [Fact]
    public void Add_refuses_null_and_callers_passing_null_are_warned()
    {
        var inventory = new Inventory();
        var act = () => inventory.Add(null!);
        act.Should().Throw<ArgumentNullException>("the legacy behaviour stays: Add(null) throws");
        inventory.Add(new Product("wid-1", "Widget", null));
        inventory.AuditLog.Should().Equal(["add WID-1"]);

        CallerWarnings("""
                public static void AddNothing(Inventory inventory) => inventory.Add(null); // CS8625
                public static void NoSku() => new Product(null, "x", "y"); // CS8625
                public static void NoName() => new Product("x", null, "y"); // CS8625
                public static int Entries(Inventory inventory) => inventory.AuditLog.Count;
            """, "parameters that must not be null are non-nullable, so passing a null literal is warned at the call");
    }

    /// <summary>
    /// Compiles a caller class around <paramref name="members"/> against Inventory.cs and checks that the caller gets
    /// a warning on exactly the lines that end in a `// CSxxxx` comment, with that id, and nowhere else.
    /// </summary>
    private static void CallerWarnings(string members, string because)
    {
        var caller = "using Koans.Quality.Nullable;\n\npublic static class Caller\n{\n" + members + "\n}\n";
        var expected = caller.Split('\n')
            .Select((line, index) => (Line: index + 1, Match: ExpectedWarning().Match(line)))
            .Where(x => x.Match.Success)
            .Select(x => (x.Line, x.Match.Groups[1].Value))
            .ToList();

        var actual = NullableCheck.Analyze(InventorySource(), caller)
            .Where(w => w.Source == 1)
            .Select(w => (w.Line, w.Id))
            .ToList();

        actual.Should().BeEquivalentTo(expected, $"{because}. The caller compiled was:\n{caller}");
    }

    [GeneratedRegex(@"// (CS\d{4})\s*$")]
    private static partial Regex ExpectedWarning();

    /// <summary>
    /// The text of the Inventory.cs this track compiles: yours on the katas track (its output is under
    /// artifacts/katas/), the reference otherwise (the solutions track, and ./run-katas.sh mutate's copy).
    /// </summary>
    private static string InventorySource([CallerFilePath] string testFile = "")
    {
        var kataDirectory = Path.GetDirectoryName(testFile) ?? throw new InvalidOperationException("no test file path");
        var katasTrack = AppContext.BaseDirectory.Replace('\\', '/').Contains("/artifacts/katas/", StringComparison.Ordinal);
        var path = katasTrack
            ? Path.Combine(kataDirectory, "Inventory.cs")
            : Path.Combine(kataDirectory, "..", "..", "..", "solutions", "Quality", "Nullable", "Inventory.cs");
        return File.ReadAllText(path);
    }
}
