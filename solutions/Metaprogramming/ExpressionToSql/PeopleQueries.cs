using System.Linq.Expressions;
using Microsoft.Data.Sqlite;

namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>Runs a translated predicate against SQLite.</summary>
public static class PeopleQueries
{
    /// <summary>The rows of <c>People</c> for which <paramref name="predicate"/> holds, ordered by Id.</summary>
    public static IReadOnlyList<Person> Where(SqliteConnection connection, Expression<Func<Person, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var where = PredicateTranslator.Translate(predicate);

        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT \"Id\", \"Name\", \"Age\", \"City\", \"IsActive\", \"Score\" FROM \"People\" WHERE {where.Sql} ORDER BY \"Id\"";
        for (var i = 0; i < where.Parameters.Count; i++)
        {
            // A null Value is "not set" to ADO.NET; SQL NULL is DBNull.Value.
            command.Parameters.AddWithValue("@p" + i, where.Parameters[i] ?? DBNull.Value);
        }

        var people = new List<Person>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            people.Add(new Person
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Age = reader.GetInt32(2),
                City = reader.IsDBNull(3) ? null : reader.GetString(3),
                IsActive = reader.GetBoolean(4),
                Score = reader.IsDBNull(5) ? null : reader.GetInt32(5),
            });
        }
        return people;
    }
}
