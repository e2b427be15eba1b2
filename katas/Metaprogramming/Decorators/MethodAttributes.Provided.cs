namespace Koans.Metaprogramming.Decorators;

/// <summary>
/// On an interface method: its result depends only on its arguments, so it may be cached per argument values.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class CacheableAttribute : Attribute;

/// <summary>
/// On an interface method: calling it twice has the same effect as calling it once, so a failed call may be retried.
/// Never put it on a method that charges a card or sends an email.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute : Attribute;
