using System.Reflection;

namespace Koans.Metaprogramming.Registry;

/// <summary>
/// Kata metaprogramming.registry: classes that register themselves, the job Python does with a metaclass or
/// <c>__init_subclass__</c> (every subclass lands in a registry when its module is imported).
/// </summary>
/// <remarks>
/// <para>.NET has no code that runs when a class is defined. It has three other ways to build a registry, and this
/// kata uses all three: generic code over a static abstract interface member (no reflection at all), scanning an
/// assembly's types for an attribute (reflection), and code that runs when a module is initialized.</para>
/// <para>Names are unique, compared without regard to case ("upper" and "Upper" are the same plugin). A registry never
/// silently replaces a plugin: a second registration under a taken name is refused and the first stays. The methods
/// may be called from several threads at once (module initializers run on whichever thread first touches a module).</para>
/// </remarks>
public sealed class PluginRegistry
{
    /// <summary>The process-wide registry. The built-in plugins (<see cref="UpperPlugin"/>,
    /// <see cref="ReversePlugin"/>) are in it from the start: see <c>BuiltInRegistration</c>.</summary>
    public static PluginRegistry Default { get; } = new();

    /// <summary>The registered names, sorted (ordinal).</summary>
    public IReadOnlyList<string> Names => throw new NotImplementedException();

    /// <summary>
    /// Registers <typeparamref name="TPlugin"/> under its <c>PluginName</c>, created by its <c>Create</c>: both static
    /// members, called without reflection.
    /// </summary>
    /// <exception cref="PluginRegistrationException">The name is taken; the message names it and both types.</exception>
    public void Register<TPlugin>() where TPlugin : IPlugin, IPluginFactory<TPlugin> => throw new NotImplementedException();

    /// <summary>
    /// Finds the classes of <paramref name="assembly"/> marked <see cref="PluginAttribute"/>, public or not, and
    /// registers each under the attribute's name, created with its public parameterless constructor. Classes without
    /// the attribute are ignored, even if they implement <see cref="IPlugin"/>. Returns the names registered.
    /// </summary>
    /// <exception cref="PluginRegistrationException">
    /// A marked class is abstract, generic, does not implement <see cref="IPlugin"/>, or has no public parameterless
    /// constructor (the message names the class and says which, in those words: "abstract", "generic", "IPlugin",
    /// "parameterless constructor"; a clear refusal at registration, not a
    /// <c>MissingMethodException</c> the first time someone asks for the plugin); or a name is taken, by this registry or
    /// by two classes of the assembly. All or nothing: when anything is refused, nothing from the assembly is
    /// registered.
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="assembly"/> is null.</exception>
    public IReadOnlyList<string> RegisterAssembly(Assembly assembly) => throw new NotImplementedException();

    /// <summary>A new instance of the plugin registered under <paramref name="name"/> (any case), each call.</summary>
    /// <exception cref="KeyNotFoundException">No such plugin; the message lists the registered names.</exception>
    public IPlugin Create(string name) => throw new NotImplementedException();

    /// <summary>Removes the plugin registered under <paramref name="name"/> (any case); false if there was none.
    /// After this the registry holds nothing of that plugin's type, so an assembly that held it can be unloaded.</summary>
    public bool Unregister(string name) => throw new NotImplementedException();

    /// <summary>
    /// Makes sure the module initialization code of <paramref name="assembly"/> has run. Loading an assembly does not
    /// run it (unlike a Python import); it runs the first time something in the module is used. The runtime runs it
    /// at most once per module, and so must this method: calling it again does nothing.
    /// </summary>
    public static void RunModuleInitializer(Assembly assembly) => throw new NotImplementedException();
}
