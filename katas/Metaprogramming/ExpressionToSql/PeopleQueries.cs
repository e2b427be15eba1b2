using System.Linq.Expressions;
using Microsoft.Data.Sqlite;

namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>Kata metaprogramming.expression-to-sql, part 2: run a translated predicate against SQLite.</summary>
public static class PeopleQueries
{
    /// <summary>
    /// The rows of the <c>People</c> table (see <see cref="Person"/>) for which <paramref name="predicate"/> holds,
    /// ordered by <c>Id</c>: one <c>SELECT</c> on <paramref name="connection"/> (already open), whose <c>WHERE</c> clause
    /// is <see cref="PredicateTranslator.Translate{T}"/>'s SQL and whose parameters are bound by name with its values
    /// (a null value is bound as SQL NULL).
    /// </summary>
    /// <exception cref="NotSupportedException">The predicate cannot be translated.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="predicate"/> is null.</exception>
    public static IReadOnlyList<Person> Where(SqliteConnection connection, Expression<Func<Person, bool>> predicate) =>
        throw new NotImplementedException();
}
