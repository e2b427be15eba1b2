namespace Koans.Metaprogramming.Registry;

/// <summary>
/// Puts the built-in plugins, <see cref="UpperPlugin"/> and <see cref="ReversePlugin"/>, into
/// <see cref="PluginRegistry.Default"/> when this assembly's module is initialized, before any other code of the
/// assembly runs: nobody calls a method of this class, and nobody has to remember to. (Python: registration as a side
/// effect of importing the module.) Register them with their static factories.
/// </summary>
internal static class BuiltInRegistration
{
}
