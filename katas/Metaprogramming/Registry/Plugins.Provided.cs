namespace Koans.Metaprogramming.Registry;

/// <summary>A plugin: turns an input text into an output text.</summary>
public interface IPlugin
{
    string Execute(string input);
}

/// <summary>
/// A plugin type that knows its own name and how to make itself, as static members of the type: no reflection is
/// needed to find or call them (<c>TPlugin.PluginName</c>, <c>TPlugin.Create()</c> in generic code).
/// </summary>
public interface IPluginFactory<TSelf> where TSelf : IPlugin, IPluginFactory<TSelf>
{
    static abstract string PluginName { get; }

    static abstract TSelf Create();
}

/// <summary>Marks a class that assembly scanning should register under <see cref="Name"/>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PluginAttribute(string name) : Attribute
{
    public string Name => name;
}

/// <summary>
/// A plugin that cannot be registered: a duplicate name, or a type that is not a usable plugin. The message names the
/// plugin, the type(s) and the reason.
/// </summary>
public sealed class PluginRegistrationException(string message) : Exception(message);

/// <summary>Built in: upper-cases its input.</summary>
public sealed class UpperPlugin : IPlugin, IPluginFactory<UpperPlugin>
{
    public static string PluginName => "upper";

    public static UpperPlugin Create() => new();

    public string Execute(string input) => input.ToUpperInvariant();
}

/// <summary>Built in: reverses its input.</summary>
public sealed class ReversePlugin : IPlugin, IPluginFactory<ReversePlugin>
{
    public static string PluginName => "reverse";

    public static ReversePlugin Create() => new();

    public string Execute(string input) => new(input.Reverse().ToArray());
}
