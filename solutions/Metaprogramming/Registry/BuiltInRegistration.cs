using System.Runtime.CompilerServices;

namespace Koans.Metaprogramming.Registry;

/// <summary>Reference solution for metaprogramming.registry: the built-ins register themselves.</summary>
internal static class BuiltInRegistration
{
    // Runs once, when this module is initialized: before the first access to any type or method of the assembly.
    // It must be internal or public, static, parameterless and void, in a non-generic class.
    [ModuleInitializer]
    internal static void Register()
    {
        PluginRegistry.Default.Register<UpperPlugin>();
        PluginRegistry.Default.Register<ReversePlugin>();
    }
}
