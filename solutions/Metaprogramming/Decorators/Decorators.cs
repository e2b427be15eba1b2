using System.Globalization;
using System.Reflection;

namespace Koans.Metaprogramming.Decorators;

/// <summary>Reference solution for metaprogramming.decorators.</summary>
public static class Decorators
{
    public static T WithLogging<T>(T inner, ICollection<string> log) where T : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(log);
        var proxy = DispatchProxy.Create<T, LoggingProxy<T>>();
        ((LoggingProxy<T>)(object)proxy).Initialize(inner, log);
        return proxy;
    }

    public static T WithCaching<T>(T inner) where T : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        var proxy = DispatchProxy.Create<T, CachingProxy<T>>();
        ((CachingProxy<T>)(object)proxy).Initialize(inner);
        return proxy;
    }

    public static T WithRetry<T>(T inner, int maxAttempts, Func<Exception, bool> isTransient) where T : class
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(isTransient);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var proxy = DispatchProxy.Create<T, RetryProxy<T>>();
        ((RetryProxy<T>)(object)proxy).Initialize(inner, maxAttempts, isTransient);
        return proxy;
    }

    /// <summary>
    /// Calls the decorated object's implementation of <paramref name="method"/>. DoNotWrapExceptions: the method's own
    /// exception propagates with its original stack trace, instead of inside a TargetInvocationException that every
    /// decorator would have to unwrap (and that `throw tie.InnerException` would strip of its stack trace).
    /// </summary>
    internal static object? CallThrough(object inner, MethodInfo method, object?[]? args) =>
        method.Invoke(inner, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);

    internal static string Format(object? value) => value switch
    {
        null => "null",
        string text => $"\"{text}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

// DispatchProxy creates the proxy with a parameterless constructor, so state arrives through Initialize, per instance.
// Never static fields: every decorated object would share one cache or one log.
internal class LoggingProxy<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private ICollection<string> _log = null!;

    internal void Initialize(T inner, ICollection<string> log) => (_inner, _log) = (inner, log);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        // DispatchProxy always passes the interface method called and an argument array (empty for no arguments);
        // the parameters are nullable only in the signature it inherited.
        var call = $"{targetMethod!.Name}({string.Join(", ", args!.Select(Decorators.Format))})";
        try
        {
            var result = Decorators.CallThrough(_inner, targetMethod, args);
            _log.Add($"{call} -> {(targetMethod.ReturnType == typeof(void) ? "void" : Decorators.Format(result))}");
            return result;
        }
        catch (Exception exception)
        {
            _log.Add($"{call} threw {exception.GetType().Name}: {exception.Message}");
            throw; // `throw;` keeps the stack trace; `throw exception;` would restart it here
        }
    }
}

internal class CachingProxy<T> : DispatchProxy where T : class
{
    private readonly Dictionary<CallKey, object?> _results = [];
    private readonly Lock _gate = new();
    private T _inner = null!;

    internal void Initialize(T inner) => _inner = inner;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        // targetMethod is the interface's method (never null, see LoggingProxy), so the attribute is read where the
        // contract declares it; an interface method has no base declaration to inherit attributes from.
        var method = targetMethod!;
        if (!Attribute.IsDefined(method, typeof(CacheableAttribute)))
        {
            return Decorators.CallThrough(_inner, method, args);
        }

        var key = new CallKey(method, args!);
        lock (_gate)
        {
            // TryGetValue, not "value is null means missing": a null result is a cached answer.
            if (_results.TryGetValue(key, out var cached) && cached is not Task { IsFaulted: true } and not Task { IsCanceled: true })
            {
                return cached;
            }
        }

        // Called outside the lock: a slow method must not block callers of other methods. Two first callers may both
        // compute; for a pure method that is harmless, and the last result stored wins.
        var result = Decorators.CallThrough(_inner, method, args); // throws: nothing is stored
        lock (_gate)
        {
            _results[key] = result;
        }

        return result;
    }

    /// <summary>A call's identity: the method and the argument values, element by element (null included).</summary>
    private sealed class CallKey(MethodInfo method, object?[] args) : IEquatable<CallKey>
    {
        private readonly object?[] _args = (object?[])args.Clone(); // the caller's array is not ours to keep

        public bool Equals(CallKey? other) =>
            other is not null && method.Equals(other.Method) && _args.SequenceEqual(other._args);

        private MethodInfo Method => method;

        public override bool Equals(object? obj) => Equals(obj as CallKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(method);
            foreach (var arg in _args)
            {
                hash.Add(arg);
            }

            return hash.ToHashCode();
        }
    }
}

internal class RetryProxy<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private int _maxAttempts;
    private Func<Exception, bool> _isTransient = null!;

    internal void Initialize(T inner, int maxAttempts, Func<Exception, bool> isTransient) =>
        (_inner, _maxAttempts, _isTransient) = (inner, maxAttempts, isTransient);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!; // never null, see LoggingProxy
        if (!Attribute.IsDefined(method, typeof(IdempotentAttribute)))
        {
            return Decorators.CallThrough(_inner, method, args);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return Decorators.CallThrough(_inner, method, args);
            }
            catch (Exception exception) when (attempt < _maxAttempts && _isTransient(exception))
            {
                // The filter runs before unwinding: a non-transient exception, or the last attempt's, is never caught
                // and leaves with its stack trace untouched.
            }
        }
    }
}
