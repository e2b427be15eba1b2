using System.Reflection;
using System.Runtime.CompilerServices;

namespace Koans.Metaprogramming.Registry;

/// <summary>Reference solution for metaprogramming.registry.</summary>
public sealed class PluginRegistry
{
    private readonly Dictionary<string, Entry> _plugins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public static PluginRegistry Default { get; } = new();

    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_gate)
            {
                return _plugins.Values.Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    public void Register<TPlugin>() where TPlugin : IPlugin, IPluginFactory<TPlugin>
    {
        // Static abstract members: resolved at compile time per TPlugin, no reflection, trim- and AOT-safe.
        var entry = new Entry(TPlugin.PluginName, typeof(TPlugin), static () => TPlugin.Create());
        lock (_gate)
        {
            ThrowIfTaken(entry);
            _plugins.Add(entry.Name, entry);
        }
    }

    public IReadOnlyList<string> RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        // Check everything first, register after: a half-registered assembly is worse than none.
        var entries = new List<Entry>();
        foreach (var type in assembly.GetTypes())
        {
            // PluginAttribute is declared Inherited = false: a subclass of a plugin is not a plugin unless marked.
            if (type.GetCustomAttribute<PluginAttribute>() is { } plugin)
            {
                entries.Add(new Entry(plugin.Name, type, FactoryFor(type, plugin.Name)));
            }
        }

        var duplicate = entries.GroupBy(e => e.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new PluginRegistrationException(
                $"Plugin '{duplicate.Key}' is declared twice in {assembly.GetName().Name}: by {string.Join(" and ", duplicate.Select(e => e.Type.FullName))}.");
        }

        lock (_gate)
        {
            entries.ForEach(ThrowIfTaken);
            entries.ForEach(e => _plugins.Add(e.Name, e));
        }

        return entries.Select(e => e.Name).ToList();
    }

    public IPlugin Create(string name)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_plugins.TryGetValue(name, out entry))
            {
                throw new KeyNotFoundException(
                    $"No plugin called '{name}'. Registered: {string.Join(", ", _plugins.Keys)}.");
            }
        }

        return entry.Factory(); // outside the lock: a plugin's constructor is foreign code
    }

    public bool Unregister(string name)
    {
        lock (_gate)
        {
            return _plugins.Remove(name);
        }
    }

    // RunModuleConstructor runs the module's initializer if it has not run yet, and never twice; calling the
    // [ModuleInitializer] methods yourself by reflection would run them again (and the first reflective call already
    // triggers the module's initialization).
    public static void RunModuleInitializer(Assembly assembly) =>
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

    private void ThrowIfTaken(Entry entry)
    {
        if (_plugins.TryGetValue(entry.Name, out var existing))
        {
            throw new PluginRegistrationException(
                $"Plugin '{entry.Name}' ({entry.Type.FullName}) cannot be registered: '{existing.Name}' is already registered by {existing.Type.FullName}.");
        }
    }

    private static Func<IPlugin> FactoryFor(Type type, string name)
    {
        string? problem = null;
        ConstructorInfo? constructor = null;
        if (!typeof(IPlugin).IsAssignableFrom(type))
        {
            problem = $"it does not implement {nameof(IPlugin)}";
        }
        else if (type.IsAbstract || type.IsInterface)
        {
            problem = "it is abstract, so it cannot be created";
        }
        else if (type.ContainsGenericParameters)
        {
            problem = "it is an open generic type, so it cannot be created";
        }
        else if ((constructor = type.GetConstructor(Type.EmptyTypes)) is null)
        {
            problem = "it has no public parameterless constructor";
        }

        if (problem is not null)
        {
            throw new PluginRegistrationException($"Plugin '{name}' ({type.FullName}) is refused: {problem}.");
        }

        // A reflection call per Create; an Expression.New(constructor) compiled once would be faster, and is what
        // DI containers do, but it needs dynamic code (not Native AOT).
        return () => (IPlugin)constructor!.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, [], culture: null);
    }

    private sealed record Entry(string Name, Type Type, Func<IPlugin> Factory);
}
