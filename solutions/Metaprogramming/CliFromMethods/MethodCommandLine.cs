using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Koans.Metaprogramming.CliFromMethods;

/// <summary>Reference solution for metaprogramming.cli-from-methods.</summary>
public sealed partial class MethodCommandLine
{
    public const int Success = 0;
    public const int CommandFailed = 1;
    public const int UsageError = 2;

    private readonly object _commands;
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Dictionary<string, Command> _byName = new(StringComparer.Ordinal);

    public MethodCommandLine(object commands, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        (_commands, _output, _error) = (commands, output, error);

        // Everything is read and checked once, here: a parameter type we cannot convert is the programmer's mistake
        // and must surface at start-up, not when a user first types that command.
        var methods = commands.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName);
        foreach (var method in methods)
        {
            var options = method.GetParameters().Select(p => Option.For(method, p)).ToList();
            var command = new Command(Kebab(method.Name), method, options, method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "");
            if (!_byName.TryAdd(command.Name, command))
            {
                throw new ArgumentException($"Two public methods map to the command '{command.Name}': overloads cannot be told apart on a command line.", nameof(commands));
            }
        }
    }

    public int Run(params string[] args)
    {
        // Sorted by name, here and in the help: Type.GetMethods promises no order, and help that reorders itself
        // between runtimes makes scripts and documentation diffs noisy.
        if (args.Length == 0)
        {
            return Usage($"no command given. Commands: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (args is ["--help"] or ["help"])
        {
            foreach (var command in _byName.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                _output.WriteLine($"  {command.Name,-16} {command.Description}".TrimEnd());
            }

            return Success;
        }

        if (!_byName.TryGetValue(args[0], out var chosen))
        {
            return Usage($"unknown command '{args[0]}'. Run --help for the list.");
        }

        if (args is [_, "--help"])
        {
            WriteHelp(chosen);
            return Success;
        }

        if (!TryBind(chosen, args.AsSpan(1), out var values, out var problem))
        {
            return Usage($"{chosen.Name}: {problem}");
        }

        object? result;
        try
        {
            // DoNotWrapExceptions: the command's own exception, not TargetInvocationException
            // ("Exception has been thrown by the target of an invocation.").
            result = chosen.Method.Invoke(_commands, BindingFlags.DoNotWrapExceptions, null, values, CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A CLI's top level is the one place where catching everything is right: the user gets one line, the
            // exit code says it failed. (A real tool would also log the stack trace somewhere, e.g. with --verbose.)
            _error.WriteLine($"error: {exception.Message}");
            return CommandFailed;
        }

        if (result is not null)
        {
            _output.WriteLine(Convert.ToString(result, CultureInfo.InvariantCulture));
        }

        return Success;
    }

    private bool TryBind(Command command, ReadOnlySpan<string> args, out object?[] values, out string problem)
    {
        values = new object?[command.Options.Count];
        var given = new bool[command.Options.Count];
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                problem = $"unexpected argument '{arg}': options are written --name value.";
                return false;
            }

            // --name=value or --name value. Only the first '=' splits: a value may contain '=' (--query=a=b).
            var parts = arg.Split('=', 2);
            var name = parts[0];
            var inlineValue = parts.Length == 2 ? parts[1] : null;
            var index = command.Options.FindIndex(o => o.Name == name);
            if (index < 0)
            {
                problem = $"unknown option '{name}'. Options: {string.Join(", ", command.Options.Select(o => o.Name))}.";
                return false;
            }

            var option = command.Options[index];
            if (given[index])
            {
                problem = $"option {name} is given more than once.";
                return false;
            }

            given[index] = true;
            if (option.IsFlag)
            {
                if (inlineValue is not null)
                {
                    problem = $"option {name} is a flag and takes no value.";
                    return false;
                }

                values[index] = true;
                continue;
            }

            string text;
            if (inlineValue is not null)
            {
                text = inlineValue;
            }
            else if (i + 1 < args.Length)
            {
                text = args[++i];
            }
            else
            {
                problem = $"option {name} needs a value ({option.TypeName}).";
                return false;
            }

            if (!option.TryConvert(text, out values[index]))
            {
                problem = $"option {name}: '{text}' is not a valid {option.TypeName}.";
                return false;
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (given[i])
            {
                continue;
            }

            var option = command.Options[i];
            if (option.Parameter.HasDefaultValue)
            {
                values[i] = option.Parameter.DefaultValue;
            }
            else if (option.IsFlag)
            {
                values[i] = false;
            }
            else
            {
                problem = $"missing required option {option.Name} ({option.TypeName}).";
                return false;
            }
        }

        return true;
    }

    private void WriteHelp(Command command)
    {
        _output.WriteLine($"{command.Name}: {command.Description}".TrimEnd(' ', ':'));
        foreach (var option in command.Options)
        {
            var value = option.IsFlag ? "" : $" <{option.TypeName}>";
            var status = option.IsFlag ? "(flag)"
                : option.Parameter.HasDefaultValue ? $"(default: {DefaultText(option.Parameter.DefaultValue)})"
                : "(required)";
            _output.WriteLine($"  {option.Name + value,-28} {option.Description} {status}".Replace("  (", " (", StringComparison.Ordinal));
        }
    }

    // Convert.ToString(null) is "", which would print "(default: )".
    private static string? DefaultText(object? value) =>
        value is null ? "none" : Convert.ToString(value, CultureInfo.InvariantCulture);

    private int Usage(string message)
    {
        _error.WriteLine($"error: {message}");
        return UsageError;
    }

    private static string Kebab(string name) => KebabBoundary().Replace(name, "$1-$2").ToLowerInvariant();

    // A lower-case letter or digit followed by an upper-case letter: AddUser -> Add-User, dryRun -> dry-Run.
    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();

    private sealed record Command(string Name, MethodInfo Method, List<Option> Options, string Description);

    private sealed record Option(string Name, ParameterInfo Parameter, Type ValueType, TypeConverter Converter, string Description)
    {
        public bool IsFlag => Parameter.ParameterType == typeof(bool);

        public string TypeName => ValueType.Name;

        public static Option For(MethodInfo method, ParameterInfo parameter)
        {
            var converter = TypeDescriptor.GetConverter(parameter.ParameterType);
            if (!converter.CanConvertFrom(typeof(string)))
            {
                throw new ArgumentException(
                    $"{method.Name}({parameter.Name}): a {parameter.ParameterType.Name} cannot be typed on a command line.");
            }

            return new Option("--" + Kebab(parameter.Name!), parameter,
                Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType, converter,
                parameter.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "");
        }

        public bool TryConvert(string text, out object? value)
        {
            try
            {
                // The invariant culture, explicitly: ConvertFromString alone uses the current culture, where
                // "0.5" may be five (de-DE reads '.' as a thousands separator).
                value = Converter.ConvertFromString(null, CultureInfo.InvariantCulture, text);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or NotSupportedException)
            {
                // What TypeConverters throw for bad text (the numeric ones wrap FormatException and OverflowException
                // in an ArgumentException). Anything else is a bug, and should crash loudly.
                value = null;
                return false;
            }

            // Enum.Parse (behind EnumConverter) accepts "7" and "Dev, Prod" for any enum: only defined names will do.
            if (value is Enum member && !Enum.IsDefined(member.GetType(), member))
            {
                value = null;
                return false;
            }

            return true;
        }
    }
}
