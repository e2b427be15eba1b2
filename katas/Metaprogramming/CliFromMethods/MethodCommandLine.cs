namespace Koans.Metaprogramming.CliFromMethods;

/// <summary>
/// Kata metaprogramming.cli-from-methods: a command-line interface made from a class's methods, the way Python's
/// <c>click</c>, <c>typer</c> and <c>fire</c> make one from functions and their type hints.
/// </summary>
/// <remarks>
/// <para>Given <c>public string AddUser([Description("Login name")] string userName, int age = 30, bool admin = false)</c>,
/// the command line <c>add-user --user-name ada --age 36 --admin</c> calls it. Reflection supplies the names, types,
/// defaults and descriptions; your code supplies the parsing, the conversion and the error messages.</para>
/// <list type="bullet">
/// <item><description><b>Commands</b> are the public instance methods declared by the class of
/// <c>commands</c> itself: not those inherited (<c>ToString</c>, <c>GetHashCode</c>, ...), not property accessors, not
/// static or non-public methods. A method's command name is its name in kebab case (<c>AddUser</c> becomes
/// <c>add-user</c>); a parameter's option name is <c>--</c> and its name in kebab case (<c>userName</c> becomes
/// <c>--user-name</c>). Descriptions come from <c>System.ComponentModel.DescriptionAttribute</c> on the method and
/// parameters.</description></item>
/// <item><description><b>Options</b> are written <c>--name value</c> or <c>--name=value</c>, in any order; in the
/// second form only the first <c>=</c> separates, so a value may contain <c>=</c> (<c>--user-name=a=b</c> gives
/// <c>a=b</c>). A <c>bool</c> parameter is a flag: <c>--admin</c> alone means true, it takes no value
/// (<c>--admin=yes</c> is a usage error), and leaving it out means its default (false if it has none). Any other
/// parameter with a default value is optional; without one it is required. Each option at most
/// once.</description></item>
/// <item><description><b>Values</b> are converted from text to the parameter's type: numbers, enums (by name, any
/// case; a number or a name the enum does not define is refused), nullable types, <c>Guid</c>, <c>TimeSpan</c>,
/// <c>Uri</c> and anything else .NET knows how to convert from a string. Always with the invariant culture:
/// <c>0.5</c> means one half on every machine, whatever the user's regional settings.</description></item>
/// <item><description><b>Output</b>: a non-void method's result, when not null, is written on its own line to
/// <c>output</c> (formatted with the invariant culture). Exit code <see cref="Success"/>.</description></item>
/// <item><description><b>Help</b>: <c>--help</c> or <c>help</c> writes to <c>output</c> one line per command, sorted
/// by name (ordinal), with its name and its description if it has one (<c>add-user Add a user to the directory</c>).
/// Sorted, because reflection promises no order of methods, and help that reorders itself from one runtime to the next
/// breaks scripts and documentation. <c>&lt;command&gt; --help</c> writes the command's line
/// (<c>add-user: Add a user to the directory</c>, or just <c>sum</c> without a description), then a line per option,
/// in parameter order: its name; its type's name in angle brackets (<c>&lt;Int32&gt;</c>, also for an
/// <c>int?</c>), except for a flag; its description if it has one; then <c>(required)</c>, <c>(default: 30)</c>
/// (<c>(default: none)</c> for a null default) or, for a flag, <c>(flag)</c>. For <c>AddUser</c> above:
/// <code>
/// add-user: Add a user to the directory
///   --user-name &lt;String&gt;   Login name (required)
///   --age &lt;Int32&gt;         (default: 30)
///   --admin               (flag)
/// </code>
/// The tests compare the lines with every run of spaces collapsed to one, so align the columns as you like. Both
/// exit with <see cref="Success"/>.</description></item>
/// <item><description><b>Usage errors</b> (no command, unknown command or option, missing value, value that does not
/// convert, missing required option, repeated option, a value for a flag, an argument that is not an option; without
/// a command the line lists the commands, sorted as in the help) write one line starting with
/// <c>error: </c> to <c>error</c>, naming the offending command, option or value, and exit with
/// <see cref="UsageError"/> without calling anything. Never a stack trace: the user typed something wrong, the program
/// did not crash.</description></item>
/// <item><description><b>A command that throws</b>: one line <c>error: </c> and the message of the exception the
/// method threw, to <c>error</c>; exit code <see cref="CommandFailed"/>. The message the user sees is the command's own,
/// not reflection's.</description></item>
/// </list>
/// </remarks>
public sealed class MethodCommandLine
{
    public const int Success = 0;
    public const int CommandFailed = 1;
    public const int UsageError = 2;

    /// <summary>Reads the commands from <paramref name="commands"/>'s class.</summary>
    /// <exception cref="ArgumentNullException">An argument is null (the exception names it).</exception>
    /// <exception cref="ArgumentException">A command has a parameter whose type cannot be converted from text, or two
    /// commands have the same name: a mistake of the programmer, reported before any user types anything.</exception>
    public MethodCommandLine(object commands, TextWriter output, TextWriter error) => throw new NotImplementedException();

    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code.</summary>
    public int Run(params string[] args) => throw new NotImplementedException();
}
