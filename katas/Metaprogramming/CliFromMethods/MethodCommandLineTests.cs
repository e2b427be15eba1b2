using System.ComponentModel;
using System.Globalization;

namespace Koans.Metaprogramming.CliFromMethods;

public enum Stage
{
    Dev,
    Staging,
    Prod,
}

public class ToolCommands
{
    public List<string> History { get; } = [];

    [Description("Add a user to the directory")]
    public string AddUser([Description("Login name")] string userName, [Description("Age in years")] int age = 30, bool admin = false) =>
        $"added {userName} ({age}){(admin ? " as admin" : "")}";

    [Description("Deploy the current build")]
    public string Deploy(Stage target, [Description("Show what would happen")] bool dryRun = false, double ratio = 1.0, int? limit = null) =>
        string.Create(CultureInfo.InvariantCulture, $"deploy {target} ratio {ratio} limit {limit?.ToString(CultureInfo.InvariantCulture) ?? "none"}{(dryRun ? " (dry run)" : "")}");

    [Description("Fail on purpose")]
    public void Explode() => throw new InvalidOperationException("the reactor is offline");

    public int Sum(int a, int b) => a + b;

    public void Touch() => History.Add("touched");

    public static string Version() => "1.0";

    private void Secret() => History.Add("secret");

    internal void Internal() => Secret();

    // Declared last on purpose: reflection lists methods in no promised order (in practice, declaration order).
    [Description("Greet someone")]
    public string Greet(string name, bool loud) => loud ? $"HELLO {name.ToUpperInvariant()}!" : $"hello {name}";
}

public class OverloadedCommands
{
    public string Greet(string name) => $"hello {name}";

    public string Greet(string name, int times) => string.Join(" ", Enumerable.Repeat($"hello {name}", times));
}

public class StreamCommands
{
    public void Upload(Stream content) => content.Dispose();
}

public class MethodCommandLineTests
{
    private static (int ExitCode, string Output, string Error) Run(object commands, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = new MethodCommandLine(commands, output, error).Run(args);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args) => Run(new ToolCommands(), args);

    /// <summary>The output's lines with every run of spaces collapsed to one: the columns may be aligned as you like.</summary>
    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .ToArray();

    private static void ShouldBeAUsageError((int ExitCode, string Output, string Error) result, string mentioning, string because)
    {
        result.ExitCode.Should().Be(MethodCommandLine.UsageError, because);
        result.Error.Should().StartWith("error: ").And.Contain(mentioning, "the message must say what was wrong");
        result.Error.TrimEnd('\n').Should().NotContain("\n", "one line, not a stack trace");
        result.Error.Should().NotContain("Exception", "the user typed something wrong; the program did not crash");
        result.Output.Should().BeEmpty("nothing was run");
    }

    [Fact]
    public void Run_calls_the_method_named_by_the_command_and_prints_its_result()
    {
        var (exitCode, output, error) = Run("add-user", "--user-name", "ada", "--age", "36");

        exitCode.Should().Be(MethodCommandLine.Success, error);
        output.Should().Be("added ada (36)\n", "AddUser became add-user, userName became --user-name, \"36\" became 36");
        Run("sum", "--b", "2", "--a", "40").Output.Should().Be("42\n", "options may come in any order");
    }

    [Fact]
    public void Run_uses_default_values_and_treats_bool_parameters_as_flags()
    {
        Run("add-user", "--user-name", "ada").Output.Should().Be("added ada (30)\n", "age = 30 is the default");
        Run("add-user", "--admin", "--user-name=ada").Output.Should().Be("added ada (30) as admin\n",
            "--admin is a flag: it takes no value, so --user-name=ada is the next option, not the flag's value");
        Run("deploy", "--dry-run", "--target", "staging").Output.Should().Be("deploy Staging ratio 1 limit none (dry run)\n");
        Run("greet", "--name", "ada").Output.Should().Be("hello ada\n",
            "loud has no default value, and a flag left out is false: a flag is never a required option");
        Run("greet", "--loud", "--name", "ada").Output.Should().Be("HELLO ADA!\n");
        Run("add-user", "--user-name=a=b").Output.Should().Be("added a=b (30)\n",
            "only the first '=' separates the name from the value; Split('=') would cut the value to \"a\"");
    }

    [Fact]
    public void Run_converts_enums_by_name_in_any_case_and_nullable_values()
    {
        Run("deploy", "--target", "PROD", "--limit", "3").Output.Should().Be("deploy Prod ratio 1 limit 3\n",
            "an enum is given by name, in any case; int? accepts a number");
    }

    [Fact]
    public void Run_converts_numbers_with_the_invariant_culture_whatever_the_machine_is_set_to()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Run("deploy", "--target", "dev", "--ratio", "0.5").Output.Should().Be("deploy Dev ratio 0.5 limit none\n",
                "in de-DE '.' groups thousands, so a current-culture parse reads \"0.5\" as 5: a script that works " +
                "in London must not deploy five times the traffic in Berlin");
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Help_lists_the_commands_with_their_descriptions_and_nothing_else()
    {
        var (exitCode, output, _) = Run("--help");

        exitCode.Should().Be(MethodCommandLine.Success);
        Lines(output).Should().Equal(
            [
                "add-user Add a user to the directory",
                "deploy Deploy the current build",
                "explode Fail on purpose",
                "greet Greet someone",
                "sum",
                "touch",
            ],
            "each command once, with the text of its [Description], sorted by name: Greet is declared last, and " +
            "reflection's order is not an order anyone promised");
        Run("help").Output.Should().Be(output, "help and --help are the same");
        output.Should().NotContainAny(["get-history", "get_History", "to-string", "get-hash-code", "equals", "get-type",
                "secret", "internal", "version"],
            "only the public instance methods the class declares are commands: not property accessors, not what " +
            "every object inherits, not private, internal or static methods");
    }

    [Fact]
    public void Help_for_a_command_describes_each_option_with_its_type_and_default()
    {
        var (exitCode, output, _) = Run("add-user", "--help");

        exitCode.Should().Be(MethodCommandLine.Success);
        Lines(output).Should().Equal(
            [
                "add-user: Add a user to the directory",
                "--user-name <String> Login name (required)",
                "--age <Int32> Age in years (default: 30)",
                "--admin (flag)",
            ],
            "the command's line, then one line per option in parameter order: name, type, description, and whether " +
            "it is required, has a default, or is a flag (a flag takes no value, so it shows no type)");
    }

    [Fact]
    public void Help_for_a_command_shows_a_nullable_option_by_its_underlying_type_and_a_null_default_as_none()
    {
        var (exitCode, output, _) = Run("deploy", "--help");

        exitCode.Should().Be(MethodCommandLine.Success);
        Lines(output).Should().Equal(
            [
                "deploy: Deploy the current build",
                "--target <Stage> (required)",
                "--dry-run Show what would happen (flag)",
                "--ratio <Double> (default: 1)",
                "--limit <Int32> (default: none)",
            ],
            "the user types a number for an int?, so the help says Int32, not Nullable`1; a null default is " +
            "\"none\", not an empty \"(default: )\"");
        Lines(Run("sum", "--help").Output).Should().Equal(["sum", "--a <Int32> (required)", "--b <Int32> (required)"],
            "a command without a description is its name alone");
    }

    [Fact]
    public void Run_refuses_a_value_that_does_not_convert_without_a_stack_trace()
    {
        ShouldBeAUsageError(Run("add-user", "--user-name", "ada", "--age", "abc"), "--age",
            "\"abc\" is not an Int32: that is the user's typo, and the answer is a usage error naming the option");
        ShouldBeAUsageError(Run("add-user", "--user-name", "ada", "--age", "99999999999"), "--age",
            "too big for an Int32: an OverflowException, not only a FormatException, is bad input too");
        ShouldBeAUsageError(Run("deploy", "--target", "7"), "--target",
            "Enum.Parse accepts \"7\" for any enum; Stage has no 7th member, so this would deploy to nowhere");
    }

    [Fact]
    public void Run_refuses_a_missing_required_option()
    {
        ShouldBeAUsageError(Run("add-user", "--age", "36"), "--user-name",
            "userName has no default value, so --user-name is required");
    }

    [Fact]
    public void Run_refuses_unknown_commands_and_options()
    {
        ShouldBeAUsageError(Run("remove-user", "--user-name", "ada"), "remove-user", "there is no RemoveUser method");
        ShouldBeAUsageError(Run("add-user", "--user-name", "ada", "--email", "a@b"), "--email", "AddUser has no email parameter");
        ShouldBeAUsageError(Run("to-string"), "to-string", "ToString is inherited from object, not a command");
    }

    [Fact]
    public void Run_refuses_malformed_command_lines_before_calling_anything()
    {
        var commands = new ToolCommands();

        ShouldBeAUsageError(Run(commands, "add-user", "--user-name"), "--user-name", "the option's value is missing");
        ShouldBeAUsageError(Run(commands, "add-user", "--user-name", "ada", "--age", "1", "--age", "2"), "--age",
            "which age did the user mean? Refuse rather than guess");
        ShouldBeAUsageError(Run(commands, "touch", "now"), "now", "touch takes no arguments");
        ShouldBeAUsageError(Run(commands, "add-user", "--user-name", "ada", "--admin=yes"), "--admin",
            "a flag takes no value: --admin=no would otherwise make an admin");
        ShouldBeAUsageError(Run(commands, "add-user", "--=ada"), "--",
            "an option needs a name before its '='");
        commands.History.Should().BeEmpty("a command line with a usage error must not run the command");
    }

    [Fact]
    public void Run_without_a_command_lists_the_commands_sorted()
    {
        var result = Run();

        ShouldBeAUsageError(result, "add-user", "without a command there is nothing to do; say which commands there are");
        var names = new[] { "add-user", "deploy", "explode", "greet", "sum", "touch" };
        names.Select(name => result.Error.IndexOf(name, StringComparison.Ordinal)).Should().BeInAscendingOrder(
            "the commands are listed sorted by name, as in the help, not in reflection's order (greet is declared last)");
    }

    [Fact]
    public void Run_reports_the_commands_own_exception_message_with_a_failure_exit_code()
    {
        var (exitCode, output, error) = Run("explode");

        exitCode.Should().Be(MethodCommandLine.CommandFailed, "the command ran and failed: that is not a usage error");
        error.Should().Be("error: the reactor is offline\n",
            "the user needs Explode's own message, not \"Exception has been thrown by the target of an invocation\"");
        output.Should().BeEmpty();
    }

    [Fact]
    public void Constructor_refuses_two_methods_that_map_to_one_command()
    {
        var act = () => new MethodCommandLine(new OverloadedCommands(), TextWriter.Null, TextWriter.Null);

        act.Should().Throw<ArgumentException>(
                "greet --name ada could call either overload: a command line cannot pick one, so the programmer hears " +
                "about it at start-up instead of one overload silently disappearing")
            .Which.Message.Should().Contain("greet");
    }

    [Theory]
    [InlineData("commands")]
    [InlineData("output")]
    [InlineData("error")]
    public void Constructor_refuses_a_null_argument_by_name(string which)
    {
        var act = () => new MethodCommandLine(which == "commands" ? null! : new ToolCommands(),
            which == "output" ? null! : TextWriter.Null, which == "error" ? null! : TextWriter.Null);

        act.Should().Throw<ArgumentNullException>("a null here is the programmer's mistake: say so at start-up, " +
                                                  "not with a NullReferenceException when a user first runs a command")
            .WithParameterName(which);
    }

    [Fact]
    public void Constructor_refuses_a_parameter_type_that_cannot_be_typed_on_a_command_line()
    {
        var act = () => new MethodCommandLine(new StreamCommands(), TextWriter.Null, TextWriter.Null);

        act.Should().Throw<ArgumentException>("Upload(Stream) cannot be called from text: tell the programmer at start-up, " +
                                              "not the first user who types upload")
            .Which.Message.Should().Contain("Upload");
    }
}
