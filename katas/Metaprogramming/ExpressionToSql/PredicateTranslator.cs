using System.Linq.Expressions;

namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>
/// Kata metaprogramming.expression-to-sql, part 1: translate a C# predicate (an expression tree) into a parameterized
/// SQLite <c>WHERE</c> clause, the way an ORM such as EF Core does.
/// </summary>
/// <remarks>
/// <para>What to translate (anything else throws <see cref="NotSupportedException"/> naming what it met, at
/// translation time, never as broken SQL at query time):</para>
/// <list type="bullet">
/// <item><description><c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and the six comparisons <c>== != &lt; &lt;= &gt; &gt;=</c>, grouped
/// exactly as the tree groups them.</description></item>
/// <item><description>A property of the lambda's parameter (<c>p.Age</c>) is the column of the same name, written as a
/// quoted identifier (<c>"Age"</c>). The compiler may wrap it in a numeric conversion (<c>p.Age &gt; 30L</c> compares a
/// <c>long</c>): translate the column underneath. A bool property on its own (<c>p =&gt; p.IsActive</c>,
/// <c>!p.IsActive</c>) is a condition. A member <em>of</em> a column (<c>p.Name.Length</c>) or a method called on one is
/// not supported (except the next item).</description></item>
/// <item><description><c>p.Name.StartsWith(prefix)</c>: true when the column starts with the prefix, compared
/// case-sensitively, character for character, with no character of the prefix treated as a wildcard.</description></item>
/// <item><description>Any sub-expression that does not use the parameter (a constant, a captured local variable, a
/// field, <c>name.Trim()</c>) is evaluated once, now, and becomes a parameter <c>@p0</c>, <c>@p1</c>, … numbered in order
/// of appearance. Values never appear in the SQL text, not even numbers: that is what makes injection impossible, and it
/// lets the database reuse the query plan. Translating the same expression again reads captured variables
/// again.</description></item>
/// <item><description>The SQL means what the C# means, including for null: <c>p.City == null</c> matches rows whose City
/// is NULL, <c>p.City != "London"</c> matches rows whose City is NULL, and <c>!(p.City == "London")</c> does too, as it
/// would in LINQ to Objects. (In SQL, <c>NULL = 'London'</c> and <c>NOT (NULL = 'London')</c> are both NULL, which
/// <c>WHERE</c> treats as false.) Ordering comparisons with a null operand are false, as in C#.</description></item>
/// </list>
/// </remarks>
public static class PredicateTranslator
{
    /// <summary>Translates <paramref name="predicate"/> into SQL and parameter values.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="NotSupportedException">The predicate uses something outside the list above.</exception>
    public static SqlWhere Translate<T>(Expression<Func<T, bool>> predicate) => throw new NotImplementedException();
}
