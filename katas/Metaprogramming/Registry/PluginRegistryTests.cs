using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Koans.Metaprogramming.Registry;

/// <summary>
/// Compiles a plugin assembly from C# source with Roslyn, against real net10.0 reference assemblies and this kata's
/// assembly (for IPlugin and friends), the way a third party would build one.
/// </summary>
internal static class PluginCompiler
{
    public static byte[] Compile(string source)
    {
        var compilation = CSharpCompilation.Create(
            "ThirdParty.Plugins." + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            // System.Runtime is all a plugin needs; binding against every framework assembly would cost seconds.
            [Net100.References.SystemRuntime, MetadataReference.CreateFromFile(typeof(IPlugin).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        return result.Success
            ? image.ToArray()
            : throw new InvalidOperationException("The test's plugin source does not compile: " +
                string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
    }

    /// <summary>Loads the assembly into a new collectible load context; its references resolve to the default one.</summary>
    public static (AssemblyLoadContext Context, System.Reflection.Assembly Assembly) Load(string source)
    {
        var context = new AssemblyLoadContext("plugins", isCollectible: true);
        return (context, context.LoadFromStream(new MemoryStream(Compile(source))));
    }

    /// <summary>True once the unloaded context has really gone: a fixed number of collections, no timing.</summary>
    public static bool HasUnloaded(WeakReference context)
    {
        for (var i = 0; context.IsAlive && i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !context.IsAlive;
    }
}

public class PluginRegistryTests
{
    private const string Usings = "using System.Runtime.CompilerServices;\nusing Koans.Metaprogramming.Registry;\nnamespace ThirdParty;\n";

    private const string ThirdPartyPlugins = Usings + """
        [Plugin("shout")]
        public sealed class Shout : IPlugin { public string Execute(string input) => input.ToUpperInvariant() + "!"; }

        [Plugin("whisper")]
        internal sealed class Whisper : IPlugin { public string Execute(string input) => input.ToLowerInvariant() + "..."; }

        // Implements IPlugin but is not marked: a helper, not something to register.
        public sealed class Helper : IPlugin { public string Execute(string input) => input; }

        // An abstract base without the attribute: scanning must not try to create it.
        public abstract class PluginBase : IPlugin { public abstract string Execute(string input); }

        [Plugin("count")]
        public sealed class Count : PluginBase
        {
            private static int s_made;
            private readonly int _instance = ++s_made;
            public override string Execute(string input) => $"{input.Length} (instance {_instance})";
        }
        """;

    [Fact]
    public void Default_registry_holds_the_built_in_plugins_before_anyone_asks()
    {
        PluginRegistry.Default.Names.Should().Contain(["upper", "reverse"],
            "the built-ins register themselves when the module is initialized; no test, no Main, calls anything first");
        PluginRegistry.Default.Create("reverse").Execute("abc").Should().Be("cba");
    }

    [Fact]
    public void Register_uses_the_static_factory_and_creates_a_new_plugin_each_time()
    {
        var registry = new PluginRegistry();

        registry.Register<UpperPlugin>();

        registry.Names.Should().Equal(["upper"], "the name comes from the static UpperPlugin.PluginName");
        registry.Create("UPPER").Execute("abc").Should().Be("ABC", "names are found in any case");
        registry.Create("upper").Should().NotBeSameAs(registry.Create("upper"),
            "a registry of factories makes a new plugin per call; a registry of instances shares one between callers");
    }

    [Fact]
    public void Register_rejects_a_duplicate_name_and_keeps_the_first_plugin()
    {
        var registry = new PluginRegistry();
        registry.Register<UpperPlugin>();

        var act = () => registry.Register<UpperPlugin>();

        act.Should().Throw<PluginRegistrationException>(
                "a dictionary assignment would silently replace the first plugin; TryAdd would silently drop the second")
            .Which.Message.Should().Contain("upper").And.Contain(nameof(UpperPlugin));
        registry.Names.Should().Equal(["upper"]);
    }

    [Fact]
    public void Create_refuses_an_unknown_name_and_lists_the_known_ones()
    {
        var registry = new PluginRegistry();
        registry.Register<UpperPlugin>();
        registry.Register<ReversePlugin>();

        var act = () => registry.Create("lower");

        act.Should().Throw<KeyNotFoundException>().Which.Message.Should().Contain("lower").And.Contain("upper").And.Contain("reverse",
            "a clear error says what was asked for and what there is");
    }

    [Fact]
    public void RegisterAssembly_finds_the_marked_plugins_and_holds_nothing_once_the_registry_is_gone()
    {
        var context = ScanThirdPartyPlugins();

        PluginCompiler.HasUnloaded(context).Should().BeTrue(
            "after the registry is dropped nothing may hold the plugin types; a static cache of types or factories " +
            "keeps the whole assembly in memory for ever, and a collectible load context can then never unload");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ScanThirdPartyPlugins()
    {
        var (context, assembly) = PluginCompiler.Load(ThirdPartyPlugins);
        var registry = new PluginRegistry();

        registry.RegisterAssembly(assembly).Should().BeEquivalentTo(["shout", "whisper", "count"],
            "the three [Plugin] classes, internal ones included; Helper and PluginBase are not marked");
        registry.Names.Should().Equal(["count", "shout", "whisper"]);
        registry.Create("shout").Execute("hi").Should().Be("HI!");
        registry.Create("whisper").Execute("HI").Should().Be("hi...");
        registry.Create("count").Execute("abc").Should().Be("3 (instance 1)");
        registry.Create("count").Execute("abc").Should().Be("3 (instance 2)", "each Create makes a new plugin");

        context.Unload();
        return new WeakReference(context);
    }

    [Fact]
    public void RegisterAssembly_refuses_a_plugin_without_a_parameterless_constructor_and_registers_nothing()
    {
        var (context, assembly) = PluginCompiler.Load(Usings + """
            [Plugin("good")]
            public sealed class Good : IPlugin { public string Execute(string input) => input; }

            [Plugin("needy")]
            public sealed class Needy(string settings) : IPlugin { public string Execute(string input) => settings + input; }
            """);
        var registry = new PluginRegistry();

        var act = () => registry.RegisterAssembly(assembly);

        act.Should().Throw<PluginRegistrationException>(
                "refuse it clearly at registration, not with a MissingMethodException when someone first asks for 'needy'")
            .Which.Message.Should().Contain("Needy").And.Contain("parameterless constructor");
        registry.Names.Should().BeEmpty("all or nothing: 'good' must not be registered from an assembly that was refused");
        context.Unload();
    }

    [Theory]
    [InlineData("[Plugin(\"ghost\")] public abstract class Ghost : IPlugin { public abstract string Execute(string input); }", "Ghost", "abstract")]
    [InlineData("[Plugin(\"stranger\")] public sealed class Stranger { public string Execute(string input) => input; }", "Stranger", "IPlugin")]
    [InlineData("[Plugin(\"hidden\")] public sealed class Hidden : IPlugin { private Hidden() { } public string Execute(string input) => input; }", "Hidden", "parameterless constructor")]
    [InlineData("[Plugin(\"box\")] public sealed class Box<T> : IPlugin { public string Execute(string input) => typeof(T).Name; }", "Box", "generic")]
    public void RegisterAssembly_refuses_a_marked_class_that_cannot_be_a_plugin(string declaration, string typeName, string reason)
    {
        var (context, assembly) = PluginCompiler.Load(Usings + declaration);
        var registry = new PluginRegistry();

        var act = () => registry.RegisterAssembly(assembly);

        act.Should().Throw<PluginRegistrationException>(
                "an abstract class, a class that is not an IPlugin, one with only a private constructor, or an open " +
                "generic cannot be made into a plugin: say so at registration")
            .Which.Message.Should().Contain(typeName).And.Contain(reason,
                "the message says why, not only which class: an abstract class also has no public constructor, but " +
                "'no parameterless constructor' sends its author looking for the wrong fix");
        registry.Names.Should().BeEmpty();
        context.Unload();
    }

    [Fact]
    public void RegisterAssembly_rejects_a_name_that_is_taken_and_keeps_the_registry_unchanged()
    {
        var (context, assembly) = PluginCompiler.Load(Usings + """
            [Plugin("fine")]
            public sealed class Fine : IPlugin { public string Execute(string input) => input; }

            [Plugin("Upper")]
            public sealed class Impostor : IPlugin { public string Execute(string input) => "pwned"; }
            """);
        var registry = new PluginRegistry();
        registry.Register<UpperPlugin>();

        var act = () => registry.RegisterAssembly(assembly);

        act.Should().Throw<PluginRegistrationException>("'Upper' is 'upper' in another case: a plugin must not take over a name")
            .Which.Message.Should().Contain("Impostor").And.Contain(nameof(UpperPlugin));
        registry.Names.Should().Equal(["upper"], "nothing from a refused assembly is registered");
        registry.Create("upper").Execute("abc").Should().Be("ABC", "the first plugin keeps its name");
        context.Unload();
    }

    [Fact]
    public void RegisterAssembly_refuses_a_null_assembly_by_name()
    {
        var act = () => new PluginRegistry().RegisterAssembly(null!);

        act.Should().Throw<ArgumentNullException>("a NullReferenceException from inside the scan names no argument")
            .WithParameterName("assembly");
    }

    [Fact]
    public void RegisterAssembly_rejects_two_classes_of_one_assembly_with_the_same_name()
    {
        var (context, assembly) = PluginCompiler.Load(Usings + """
            [Plugin("twin")]
            public sealed class Castor : IPlugin { public string Execute(string input) => "castor"; }

            [Plugin("Twin")]
            public sealed class Pollux : IPlugin { public string Execute(string input) => "pollux"; }
            """);
        var registry = new PluginRegistry();

        var act = () => registry.RegisterAssembly(assembly);

        act.Should().Throw<PluginRegistrationException>("which twin would 'twin' create? Scanning order is not a contract")
            .Which.Message.Should().Contain("Castor").And.Contain("Pollux");
        registry.Names.Should().BeEmpty();
        context.Unload();
    }

    [Fact]
    public void RunModuleInitializer_runs_a_plugin_assemblys_self_registration_once()
    {
        var context = LoadEchoAndRunItsModuleInitializer();

        PluginCompiler.HasUnloaded(context).Should().BeTrue(
            "once 'echo' is unregistered the registry holds nothing of the plugin assembly, so it unloads");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadEchoAndRunItsModuleInitializer()
    {
        var (context, assembly) = PluginCompiler.Load(Usings + """
            public sealed class Echo : IPlugin, IPluginFactory<Echo>
            {
                public static string PluginName => "echo";
                public static Echo Create() => new();
                public string Execute(string input) => input + " " + input;
            }

            internal static class Registration
            {
                [ModuleInitializer]
                internal static void Register() => PluginRegistry.Default.Register<Echo>();
            }
            """);

        PluginRegistry.Default.Names.Should().NotContain("echo",
            "loading an assembly does not run its module initializer (a Python import would have run the module)");
        PluginRegistry.RunModuleInitializer(assembly);
        PluginRegistry.Default.Names.Should().Contain("echo", "the module initializer registered Echo");
        var again = () => PluginRegistry.RunModuleInitializer(assembly);
        again.Should().NotThrow("a module is initialized once; calling its initializer method again would register " +
                                "'echo' twice");
        PluginRegistry.Default.Create("echo").Execute("hi").Should().Be("hi hi");
        PluginRegistry.Default.Unregister("echo").Should().BeTrue();
        PluginRegistry.Default.Unregister("echo").Should().BeFalse("it is gone");

        context.Unload();
        return new WeakReference(context);
    }
}
