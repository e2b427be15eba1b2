using System.Linq.Expressions;
using Microsoft.Data.Sqlite;

namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>A real SQLite database in a temporary file, filled with <see cref="Rows"/>, one per test.</summary>
public sealed class PeopleDatabase : IDisposable
{
    public static readonly Person[] Rows =
    [
        new() { Id = 1, Name = "Ada", Age = 36, City = "London", IsActive = true, Score = 90 },
        new() { Id = 2, Name = "Bob", Age = 40, City = "Paris", IsActive = true, Score = 50 },
        new() { Id = 3, Name = "Carol", Age = 25, City = null, IsActive = false, Score = null },
        new() { Id = 4, Name = "O'Brien", Age = 51, City = "Dublin", IsActive = false, Score = 70 },
        new() { Id = 5, Name = "50% Off", Age = 30, City = null, IsActive = true, Score = null },
        new() { Id = 6, Name = "Dave", Age = 17, City = "London", IsActive = true, Score = 10 },
        new() { Id = 7, Name = "ada", Age = 22, City = "Paris", IsActive = true, Score = 60 },
        new() { Id = 8, Name = "500 Club", Age = 45, City = "Rome", IsActive = false, Score = null },
        new() { Id = 9, Name = "A_b", Age = 33, City = "Oslo", IsActive = true, Score = 40 },
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("koans-expression-to-sql-").FullName;

    public SqliteConnection Connection { get; }

    public PeopleDatabase()
    {
        // Pooling off: the file can be deleted as soon as the connection is closed.
        Connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "people.db")};Pooling=False");
        Connection.Open();
        Execute("CREATE TABLE People (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Age INTEGER NOT NULL, " +
                "City TEXT NULL, IsActive INTEGER NOT NULL, Score INTEGER NULL)");
        foreach (var row in Rows)
        {
            using var insert = Connection.CreateCommand();
            insert.CommandText = "INSERT INTO People VALUES ($id, $name, $age, $city, $active, $score)";
            insert.Parameters.AddWithValue("$id", row.Id);
            insert.Parameters.AddWithValue("$name", row.Name);
            insert.Parameters.AddWithValue("$age", row.Age);
            insert.Parameters.AddWithValue("$city", (object?)row.City ?? DBNull.Value);
            insert.Parameters.AddWithValue("$active", row.IsActive);
            insert.Parameters.AddWithValue("$score", (object?)row.Score ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }

    public long Count(string table)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
        return (long)command.ExecuteScalar()! == 0 ? -1 : CountRows(table);
    }

    private long CountRows(string table)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        Connection.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class PredicateTranslatorTests : IDisposable
{
    private readonly PeopleDatabase _database = new();

    public void Dispose() => _database.Dispose();

    /// <summary>The database's answer must be LINQ to Objects' answer on the same rows: the in-memory lambda is the oracle.</summary>
    private void ShouldMatchInMemory(Expression<Func<Person, bool>> predicate, string because)
    {
        var expected = PeopleDatabase.Rows.Where(predicate.Compile()).Select(p => p.Id).ToArray();
        var actual = PeopleQueries.Where(_database.Connection, predicate).Select(p => p.Id).ToArray();
        actual.Should().Equal(expected, $"{predicate} must select what it selects in C#: {because}" +
            $" (SQL: {PredicateTranslator.Translate(predicate).Sql})");
    }

    [Fact]
    public void The_example_predicate_becomes_parameterized_SQL()
    {
        var where = PredicateTranslator.Translate<Person>(p => p.Age > 30 && p.Name == "Ada");

        where.Parameters.Should().Equal([30, "Ada"], "each value becomes a parameter, in order of appearance");
        where.Sql.Should().Contain("\"Age\"").And.Contain("\"Name\"").And.Contain("@p0").And.Contain("@p1");
        where.Sql.Should().NotContain("30").And.NotContain("Ada",
            "values never appear in the SQL text, numbers included");
        PeopleQueries.Where(_database.Connection, p => p.Age > 30 && p.Name == "Ada")
            .Should().Equal([PeopleDatabase.Rows[0]], "only Ada (36) is over 30 and called exactly Ada");
    }

    [Fact]
    public void An_injection_payload_in_a_value_is_only_a_value()
    {
        const string alwaysTrue = "x' OR '1'='1";
        const string dropTable = "'; DROP TABLE People; --";

        PeopleQueries.Where(_database.Connection, p => p.Name == alwaysTrue).Should().BeEmpty(
            "nobody is called \"x' OR '1'='1\"; if the value were pasted into the SQL every row would match");
        PeopleQueries.Where(_database.Connection, p => p.Name == dropTable || p.City == dropTable).Should().BeEmpty();
        _database.Count("People").Should().Be(PeopleDatabase.Rows.Length,
            "the DROP TABLE in the value was data, never SQL");
        PredicateTranslator.Translate<Person>(p => p.Name == dropTable).Sql.Should().NotContain("DROP");
    }

    [Fact]
    public void Captured_variables_are_read_at_each_translation()
    {
        var name = "Ada";
        Expression<Func<Person, bool>> byName = p => p.Name == name;

        PredicateTranslator.Translate(byName).Parameters.Should().Equal(["Ada"],
            "a captured local is a field of a closure object in the tree: evaluate it, do not emit it");
        name = "Bob";
        PredicateTranslator.Translate(byName).Parameters.Should().Equal(["Bob"],
            "the closure holds the variable, not its value at the time the lambda was written");
        PeopleQueries.Where(_database.Connection, byName).Select(p => p.Name).Should().Equal(["Bob"]);

        var prefix = "  Car  ";
        ShouldMatchInMemory(p => p.Name.StartsWith(prefix.Trim()),
            "a method call that does not use the parameter is evaluated in C# and sent as a value");
    }

    [Fact]
    public void Grouping_survives_the_translation()
    {
        ShouldMatchInMemory(p => (p.Age > 40 || p.Age < 20) && p.IsActive,
            "SQL's AND binds tighter than OR, so the parentheses of the tree must be written out");
        ShouldMatchInMemory(p => p.Age > 40 || p.Age < 20 && p.IsActive, "the other grouping");
        ShouldMatchInMemory(p => !(p.Age > 30 || p.IsActive), "NOT applies to the whole group");
        ShouldMatchInMemory(p => !p.IsActive, "a negated bool column");
        ShouldMatchInMemory(p => p.IsActive, "a bool column on its own is a condition");
        ShouldMatchInMemory(p => p.IsActive == false && p.Age >= 25, "a bool column compared with a constant");
        ShouldMatchInMemory(p => 30 <= p.Age, "the constant may come first");
        ShouldMatchInMemory(p => p.Age > 30L, "the compiler converts the column to long: translate the column inside");
    }

    [Fact]
    public void Null_means_what_it_means_in_CSharp()
    {
        string? nobody = null;
        ShouldMatchInMemory(p => p.City == null, "== null is IS NULL; = NULL is never true in SQL");
        ShouldMatchInMemory(p => p.City != null, "!= null is IS NOT NULL");
        ShouldMatchInMemory(p => p.City == nobody, "a captured null is still null");
        ShouldMatchInMemory(p => p.City != "London",
            "in C# a null City is != \"London\"; in SQL NULL <> 'London' is NULL, which WHERE drops");
        ShouldMatchInMemory(p => !(p.City == "London"), "NOT (NULL = 'London') is NULL too");
        ShouldMatchInMemory(p => p.Score > 45, "an ordering comparison with a null Score is false in C#");
        ShouldMatchInMemory(p => !(p.Score > 45), "so its negation is true for a null Score");
    }

    [Fact]
    public void StartsWith_is_a_literal_case_sensitive_prefix()
    {
        ShouldMatchInMemory(p => p.Name.StartsWith("50%"), "% in the value is a percent sign, not a LIKE wildcard");
        ShouldMatchInMemory(p => p.Name.StartsWith("A_"), "_ in the value is an underscore, not any character");
        ShouldMatchInMemory(p => p.Name.StartsWith("a"),
            "C# compares case-sensitively; SQLite's LIKE ignores ASCII case");
        ShouldMatchInMemory(p => p.Name.StartsWith("O'"), "a quote in the value is data");
    }

    [Fact]
    public void Something_without_a_SQL_meaning_is_NotSupportedException_at_translation_time()
    {
        var length = () => PredicateTranslator.Translate<Person>(p => p.Name.Length > 3);
        length.Should().Throw<NotSupportedException>(
            "p.Name.Length is a member of a column, not a column: emitting \"Length\" would fail only at query time");

        var method = () => PredicateTranslator.Translate<Person>(p => p.Name.ToUpperInvariant() == "ADA");
        method.Should().Throw<NotSupportedException>("a method called on a column has no translation here");

        var opaque = () => PredicateTranslator.Translate<Person>(p => IsAdult(p));
        opaque.Should().Throw<NotSupportedException>(
            "a C# method that takes the row cannot run in the database (and must not be evaluated as a value)");

        var query = () => PeopleQueries.Where(_database.Connection, p => p.Name.Length > 3);
        query.Should().Throw<NotSupportedException>();
    }

    [Fact]
    public void A_value_that_reads_the_row_or_a_method_on_a_value_is_NotSupportedException()
    {
        var rowTwice = () => PredicateTranslator.Translate<Person>(p => p.Age > p.Id + p.Id);
        rowTwice.Should().Throw<NotSupportedException>(
            "p.Id + p.Id needs the row however often it names it: a 'does it use the row?' flag that toggles instead " +
            "of sticking says no after the second p, and evaluating it then fails with the wrong error");

        var prefixOfConstant = () => PredicateTranslator.Translate<Person>(p => "Ada Lovelace".StartsWith(p.Name));
        prefixOfConstant.Should().Throw<NotSupportedException>(
            "StartsWith translates only when it is called on a column; here the column is the argument");
    }

    [Fact]
    public void A_constant_predicate_selects_every_row_or_none()
    {
        ShouldMatchInMemory(p => true, "true is a condition too: every row");
        ShouldMatchInMemory(p => false, "false: no row");
    }

    [Fact]
    public void A_null_connection_is_an_ArgumentNullException_by_name()
    {
        var query = () => PeopleQueries.Where(null!, p => p.Id > 0);
        query.Should().Throw<ArgumentNullException>("there is nothing to run the query on").WithParameterName("connection");
    }

    private static bool IsAdult(Person person) => person.Age >= 18;

    [Fact]
    public void Rows_come_back_whole_and_in_Id_order()
    {
        PeopleQueries.Where(_database.Connection, p => p.Id > 0).Should().Equal(PeopleDatabase.Rows,
            "every column is read back, NULLs as null and 0/1 as bool");
    }

    [Fact]
    public void A_null_predicate_is_an_ArgumentNullException()
    {
        var translate = () => PredicateTranslator.Translate<Person>(null!);
        translate.Should().Throw<ArgumentNullException>();
    }
}
