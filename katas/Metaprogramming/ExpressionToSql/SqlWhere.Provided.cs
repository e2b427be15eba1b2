namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>
/// A translated predicate: SQL for a <c>WHERE</c> clause (without the keyword) and the values of its parameters.
/// <c>Parameters[i]</c> is the value of the parameter named <c>@p{i}</c> in <see cref="Sql"/>; a null value is SQL NULL.
/// </summary>
public sealed record SqlWhere(string Sql, IReadOnlyList<object?> Parameters);
