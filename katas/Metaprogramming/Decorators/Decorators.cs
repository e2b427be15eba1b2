namespace Koans.Metaprogramming.Decorators;

/// <summary>
/// Kata metaprogramming.decorators: Python's function decorators (<c>@log</c>, <c>@functools.cache</c>,
/// <c>@retry</c>) as run-time proxies around an interface.
/// </summary>
/// <remarks>
/// <para>C# has no syntax for wrapping a function in another at definition time. What it has is
/// a proxy the base library generates at run time: an object that implements an interface and routes every call
/// to one method of yours, with the interface method and the arguments. Each decorator here returns such an object;
/// the caller sees a <typeparamref name="T"/> and cannot tell.</para>
/// <para>Every decorator wraps any <typeparamref name="T"/> (an interface), including another decorator's proxy, so they
/// compose in any order: <c>WithLogging(WithRetry(service, ...), log)</c> logs one call,
/// <c>WithRetry(WithLogging(service, log), ...)</c> logs every attempt. An exception thrown by the wrapped method
/// reaches each decorator, and finally the caller, as the method threw it: the same exception object, of its own type,
/// with the stack trace that shows where it was thrown.</para>
/// </remarks>
public static class Decorators
{
    /// <summary>
    /// Records every call in <paramref name="log"/>, after it returns or throws, as one entry:
    /// <c>GetPrice("sku-1") -&gt; 9.99</c>, <c>Reset() -&gt; void</c>,
    /// <c>GetPrice("nope") threw KeyNotFoundException: unknown sku nope</c>. Arguments are separated by ", "; strings
    /// are in double quotes, null is <c>null</c>, anything else is formatted with the invariant culture; a result is
    /// formatted like an argument. The exception is rethrown unchanged: logging never changes what the caller sees.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="log"/> is null (at once, not
    /// at the first call).</exception>
    public static T WithLogging<T>(T inner, ICollection<string> log) where T : class => throw new NotImplementedException();

    /// <summary>
    /// Caches the results of the interface methods marked <see cref="CacheableAttribute"/>, per method and argument
    /// values (compared with <c>Equals</c>; null is a value too). Each decorated object has its own cache.
    /// A null result is a result, and is cached. A call that throws is not cached: the next call calls again.
    /// A method that returns a <c>Task</c> has its task cached, so callers share one call in flight; a cached task
    /// that has failed or been cancelled is never handed out again: the next call calls again.
    /// Methods without the attribute always call through.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public static T WithCaching<T>(T inner) where T : class => throw new NotImplementedException();

    /// <summary>
    /// Calls an interface method marked <see cref="IdempotentAttribute"/> again when it throws an exception that
    /// <paramref name="isTransient"/> accepts (it is given the method's own exception), up to
    /// <paramref name="maxAttempts"/> calls in all, without waiting in between (backoff is kata RetryWithBackoff's
    /// subject). When the attempts run out, the last exception propagates. A non-transient exception propagates at
    /// once. A method without the attribute is never retried. Only synchronous failures are retried: a task-returning
    /// method's task is passed through as it is.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="isTransient"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxAttempts"/> is less than 1.</exception>
    public static T WithRetry<T>(T inner, int maxAttempts, Func<Exception, bool> isTransient) where T : class =>
        throw new NotImplementedException();
}
