namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>A row of the <c>People</c> table. Each property is the column of the same name.</summary>
/// <remarks>
/// The table: <c>People (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Age INTEGER NOT NULL, City TEXT NULL,
/// IsActive INTEGER NOT NULL, Score INTEGER NULL)</c>; <c>IsActive</c> holds 0 or 1.
/// </remarks>
public sealed record Person
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public int Age { get; init; }
    public string? City { get; init; }
    public bool IsActive { get; init; }
    public int? Score { get; init; }
}
