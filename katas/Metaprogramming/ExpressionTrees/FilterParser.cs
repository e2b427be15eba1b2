using System.Linq.Expressions;

namespace Koans.Metaprogramming.ExpressionTrees;

/// <summary>
/// Kata metaprogramming.expression-trees, part 2: parse a small filter language into an
/// <c>Expression&lt;Func&lt;T, bool&gt;&gt;</c>, the same tree the C# compiler builds for a lambda such as
/// <c>p =&gt; p.Age &gt; 30 &amp;&amp; p.Name == "Ada"</c>, so the result can be compiled and run here, or handed to a
/// translator (next kata: SQL).
/// </summary>
/// <remarks>
/// <para>The language, for example <c>age &gt; 30 &amp;&amp; (name == 'Ada' || name == 'O\'Brien')</c>:</para>
/// <list type="bullet">
/// <item><description>A comparison is <c>property operator value</c>. The property is a public instance property of
/// <typeparamref name="T"/> with a public getter (not an indexer), named by letters, digits and <c>_</c>, matched
/// ignoring case (<c>age</c> finds <c>Age</c>). When two properties differ only in case (<c>Level</c> and
/// <c>LEVEL</c>), the exact spelling picks one, and a spelling that is neither (<c>level</c>) is ambiguous: an error.
/// Its type is <c>int</c>, <c>long</c>, <c>decimal</c>, <c>double</c>, <c>string</c> or <c>bool</c>, or a nullable
/// form of one of these; a property of any other type (a <c>DateTime</c>, a list) is an error at the property.
/// Operators: <c>== != &lt; &lt;= &gt; &gt;=</c>.</description></item>
/// <item><description>Values: integers (<c>30</c>, <c>-5</c>), decimals (<c>2.5</c>; a point needs a digit after it,
/// so <c>30.</c> is an error at the character after the point), single-quoted strings with
/// exactly two escapes, <c>\'</c> and <c>\\</c>, and <c>true</c>, <c>false</c>, <c>null</c>. A value must fit the
/// property's type: an integer for <c>int</c>/<c>long</c> (and in range), a number for <c>decimal</c>/<c>double</c>, a
/// string or <c>null</c> for <c>string</c>, <c>true</c>/<c>false</c> for <c>bool</c>, <c>null</c> also for nullable
/// properties. Strings and booleans only take <c>==</c> and <c>!=</c>.</description></item>
/// <item><description><c>!</c>, <c>&amp;&amp;</c>, <c>||</c> and parentheses combine comparisons with C#'s precedence:
/// <c>!</c> binds tightest, then <c>&amp;&amp;</c>, then <c>||</c>; <c>&amp;&amp;</c> and <c>||</c> short-circuit, as
/// in C#. <c>!</c> applies to what follows it: <c>!age &gt; 30</c> means "not (age &gt; 30)".</description></item>
/// <item><description>Spaces and tabs between tokens are ignored; nothing else is.</description></item>
/// </list>
/// <para>Errors: anything that is not a valid filter for <typeparamref name="T"/> (a bad character, a lone <c>&amp;</c>,
/// an unterminated string or unknown escape, an unknown property, a value of the wrong type or out of range, a missing
/// parenthesis, trailing input, an empty filter) throws <see cref="FilterSyntaxException"/> whose
/// <see cref="FilterSyntaxException.Column"/> is the 1-based column of the first character of the offending token
/// (the opening quote of an unterminated string, the backslash of a bad escape, the input's length + 1 when the input
/// ends too early). The message speaks to the user who typed the filter: for an unknown property it lists the
/// properties there are, for an ambiguous one the properties it could mean, and for a value that does not fit it names
/// the property. Any input at all raises that exception or nothing: a filter comes from a user. Parentheses and
/// <c>!</c> nest at most <see cref="MaxDepth"/> deep together; the token that would go one deeper is the error, so a
/// hostile filter cannot exhaust the stack.</para>
/// </remarks>
public static class FilterParser
{
    /// <summary>How deep parentheses and <c>!</c> may nest, counted together.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="filter"/> into a predicate over <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="FilterSyntaxException">The filter is not valid; see the remarks.</exception>
    public static Expression<Func<T, bool>> Parse<T>(string filter) => throw new NotImplementedException();
}
