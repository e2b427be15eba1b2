using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Koans.Metaprogramming.Analyzer;

public class SecurityAnalyzerTests
{
    /// <summary>
    /// Compiles the files against the .NET 10 reference assemblies and runs the analyzer through
    /// CompilationWithAnalyzers. An exception inside the analyzer (which Roslyn would turn into an AD0001 warning) is
    /// rethrown here.
    /// </summary>
    private static async Task<(string Id, int Line, string Text)[]> AnalyzeAsync(params string[] sources)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, path: $"File{i}.cs")).ToArray();
        var compilation = CSharpCompilation.Create("Scanned", trees, Net100.References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error)
            .Should().BeEmpty("the sample code must compile for the analysis to mean anything");

        Exception? thrown = null;
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => thrown ??= exception,
            concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new SecurityAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
        if (thrown is not null)
        {
            ExceptionDispatchInfo.Throw(thrown);
        }

        return diagnostics
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .Select(d => (d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1,
                d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)))
            .ToArray();
    }

    [Fact]
    public async Task Random_used_for_tokens_salts_keys_and_passwords_is_flagged_at_the_call()
    {
        const string source = """
            using System;
            using System.Linq;

            public class Tokens
            {
                private readonly Random _random = new();

                public string CreateResetToken()
                {
                    var chars = Enumerable.Range(0, 32).Select(_ => (char)('a' + _random.Next(26)));
                    return new string(chars.ToArray());
                }

                public byte[] NewSalt()
                {
                    var buffer = new byte[16];
                    Random.Shared.NextBytes(buffer);
                    return buffer;
                }

                public void Fill()
                {
                    var sessionId = _random.NextInt64();
                    var apiKey = new byte[32];
                    _random.NextBytes(apiKey);
                    Console.WriteLine(sessionId + apiKey.Length);
                }

                public string Password => _random.Next().ToString();

                public string ApiToken { get; } = Random.Shared.Next().ToString();
            }
            """;

        (await AnalyzeAsync(source)).Should().Equal(
            [
                ("KOAN001", 10, "_random.Next(26)"),               // inside a lambda inside CreateResetToken
                ("KOAN001", 17, "Random.Shared.NextBytes(buffer)"), // inside NewSalt
                ("KOAN001", 23, "_random.NextInt64()"),            // assigned to sessionId
                ("KOAN001", 25, "_random.NextBytes(apiKey)"),       // fills apiKey
                ("KOAN001", 29, "_random.Next()"),                 // the Password property
                ("KOAN001", 31, "Random.Shared.Next()"),           // initializes the ApiToken property
            ],
            "each diagnostic sits exactly on the Random call (its span, not the statement or the line), and each call " +
            "makes a token, salt, session id, key or password");
    }

    [Fact]
    public async Task Local_functions_field_initializers_and_assignments_name_the_value_too()
    {
        const string source = """
            using System;

            public class Setup
            {
                private static readonly Random Shared = new();
                private readonly long _csrfSeed = Shared.NextInt64();
                private int _otp;

                public void Run()
                {
                    string NewNonce() => Shared.Next().ToString("x");
                    _otp = Shared.Next(1_000_000);
                    var roll = Shared.Next(6);
                    Console.WriteLine(NewNonce() + roll + _otp + _csrfSeed);
                }
            }
            """;

        (await AnalyzeAsync(source)).Should().Equal(
            [
                ("KOAN001", 6, "Shared.NextInt64()"), // initializes _csrfSeed
                ("KOAN001", 11, "Shared.Next()"),     // inside the local function NewNonce
                ("KOAN001", 12, "Shared.Next(1_000_000)"), // assigned to _otp
            ],
            "the field being initialized, the local function and the assignment target all say what the value is " +
            "for; the die roll on line 13 is not a secret");
    }

    [Fact]
    public async Task Random_used_for_games_and_lookalike_names_is_not_flagged()
    {
        const string source = """
            using System;
            using System.Security.Cryptography;

            public class Game
            {
                private readonly Random _random = new(42);
                private readonly Dice _dice = new();

                public int RollDice() => _random.Next(1, 7);
                public string PickMonkey(string[] monkeys) => monkeys[_random.Next(monkeys.Length)];
                public void ShuffleDeck(int[] deck) => _random.Shuffle(deck);
                public int Layout() { var keyboardLayout = _random.Next(3); return keyboardLayout; }
                public int CreateToken() => RandomNumberGenerator.GetInt32(1_000_000);
                public int NewSessionSeed() => _dice.Next(6);
            }

            public class Dice
            {
                public int Next(int sides) => sides;
            }
            """;

        (await AnalyzeAsync(source)).Should().BeEmpty(
            "dice, monkeys and decks are not secrets; 'keyboard' is not the word 'key'; RandomNumberGenerator is the " +
            "right API; Dice.Next is not System.Random (only the semantic model can tell)");
    }

    [Fact]
    public async Task SQL_built_from_values_is_flagged_once_per_expression()
    {
        const string source = """
            public class Queries
            {
                public string ByName(string name) => "SELECT * FROM users WHERE name = '" + name + "'";

                public string ById(int id) => $"DELETE FROM users WHERE id = {id}";

                public string Update(string email, int id)
                {
                    var sql = "UPDATE users SET email = '" + email + "' " +
                              "WHERE id = " + id;
                    return sql;
                }

                public string Insert(string table, string value) => "insert into " + table + $" VALUES ('{value}')";
            }
            """;

        (await AnalyzeAsync(source)).Should().Equal(
            [
                ("KOAN002", 3, "\"SELECT * FROM users WHERE name = '\" + name + \"'\""),
                ("KOAN002", 5, "$\"DELETE FROM users WHERE id = {id}\""),
                ("KOAN002", 9, "\"UPDATE users SET email = '\" + email + \"' \" +\n                  \"WHERE id = \" + id"),
                ("KOAN002", 14, "\"insert into \" + table + $\" VALUES ('{value}')\""),
            ],
            "one diagnostic per concatenation, spanning the whole outermost expression (a + b + c is nested binary " +
            "expressions: reporting each would flag the same SQL several times), keywords in any case");
    }

    [Fact]
    public async Task A_cast_inside_a_concatenation_does_not_split_it_in_two()
    {
        const string source = """
            public class Casts
            {
                public string ById(object id) => (string)("SELECT * FROM users WHERE id = " + id) + " LIMIT 1";
            }
            """;

        (await AnalyzeAsync(source)).Should().Equal(
            [("KOAN002", 3, "(string)(\"SELECT * FROM users WHERE id = \" + id) + \" LIMIT 1\"")],
            "the cast wraps a piece of the same concatenation: look through conversions when deciding whether a + is " +
            "the outermost one, or the inner SQL is reported a second time");
    }

    [Fact]
    public async Task Constant_SQL_parameterized_SQL_and_ordinary_text_are_not_flagged()
    {
        const string source = """
            public class Safe
            {
                private const string Table = "users";
                private const int Limit = 10;

                public string All() => "SELECT * FROM " + Table;
                public string First() => "SELECT * FROM users LIMIT " + Limit + " OFFSET " + 0;
                public string Interpolated() => $"SELECT * FROM {Table}";
                public string Parameterized() => "SELECT * FROM users WHERE name = @name";
                public string Menu(string name) => "Select an item, " + name;
                public string Help(string user) => "Please select from the list, " + user;
                public string Log(string table) => "Deleted rows from " + table;
            }
            """;

        (await AnalyzeAsync(source)).Should().BeEmpty(
            "constants (of any type) cannot carry an injection; \"Select an item\" has no FROM; text that does not " +
            "start with SQL is not SQL");
    }

    [Fact]
    public async Task Generated_code_is_not_analyzed()
    {
        const string body = """
            public class Generated{0}
            {{
                private readonly System.Random _random = new();
                public string Query(string name) => "SELECT * FROM users WHERE name = '" + name + "'";
                public int NewToken() => _random.Next();
            }}
            """;
        var generated = "// <auto-generated/>\n" + string.Format(body, "A");
        var handWritten = string.Format(body, "B");

        (await AnalyzeAsync(generated, handWritten)).Select(d => d.Id).Should().Equal(["KOAN002", "KOAN001"],
            "the same code is reported in the hand-written file only: nobody can fix a generated file by hand");
    }

    [Fact]
    public void Initialize_allows_concurrent_execution_and_skips_generated_code()
    {
        var analyzer = new SecurityAnalyzer();
        analyzer.SupportedDiagnostics.Select(d => d.Id).Should().Equal(["KOAN001", "KOAN002"]);
        var context = new RecordingContext();

        analyzer.Initialize(context);

        context.Concurrent.Should().BeTrue(
            "analyzers run on every keystroke in the IDE; one that does not declare itself thread-safe is run serially");
        context.GeneratedCode.Should().Be(GeneratedCodeAnalysisFlags.None,
            "generated code is neither analyzed nor reported: say so explicitly (RS1025/RS1026 ask for both calls)");
    }

    /// <summary>An AnalysisContext that records what the analyzer asks for.</summary>
    private sealed class RecordingContext : AnalysisContext
    {
        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) { }
        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) { }
        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) { }
        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) { }
        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) { }
        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) { }
        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) { }
        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) { }
        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) { }
        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => GeneratedCode = analysisMode;
        public override void EnableConcurrentExecution() => Concurrent = true;
        public GeneratedCodeAnalysisFlags? GeneratedCode { get; private set; }
        public bool Concurrent { get; private set; }
    }
}
