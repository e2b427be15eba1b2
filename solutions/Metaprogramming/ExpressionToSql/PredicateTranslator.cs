using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace Koans.Metaprogramming.ExpressionToSql;

/// <summary>Translates a C# predicate into a parameterized SQLite WHERE clause.</summary>
public static class PredicateTranslator
{
    private static readonly MethodInfo StartsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;

    /// <summary>Translates <paramref name="predicate"/> into SQL and parameter values.</summary>
    public static SqlWhere Translate<T>(Expression<Func<T, bool>> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var translation = new Translation(predicate.Parameters[0]);
        var sql = translation.Condition(predicate.Body);
        return new SqlWhere(sql, translation.Values);
    }

    /// <summary>One translation: the row parameter, and the values collected so far (index i is @p{i}).</summary>
    private sealed class Translation(ParameterExpression row)
    {
        public List<object?> Values { get; } = [];

        /// <summary>SQL that is exactly 1 or 0, never NULL: then NOT, AND and OR behave as C#'s !, && and ||.</summary>
        public string Condition(Expression node)
        {
            switch (node.NodeType)
            {
                case ExpressionType.AndAlso:
                case ExpressionType.OrElse:
                    var binary = (BinaryExpression)node;
                    var op = node.NodeType == ExpressionType.AndAlso ? "AND" : "OR";
                    // Always parenthesised: the tree's grouping is explicit, SQL's precedence is not ours to rely on.
                    return $"({Condition(binary.Left)} {op} {Condition(binary.Right)})";
                case ExpressionType.Not when node.Type == typeof(bool):
                    return $"(NOT {Condition(((UnaryExpression)node).Operand)})";
                case ExpressionType.Equal:
                case ExpressionType.NotEqual:
                case ExpressionType.LessThan:
                case ExpressionType.LessThanOrEqual:
                case ExpressionType.GreaterThan:
                case ExpressionType.GreaterThanOrEqual:
                    return Comparison((BinaryExpression)node);
                case ExpressionType.Call when node is MethodCallExpression { Method: var method } call && method == StartsWith:
                    var column = Column(call.Object!);
                    var prefix = Value(call.Arguments[0]);
                    // Not LIKE: LIKE treats % and _ in the value as wildcards and ignores ASCII case in SQLite.
                    // substr/length count characters, and = compares with BINARY collation: a literal, case-sensitive
                    // prefix. A null prefix throws in C#; here it matches nothing (coalesce keeps the result 0/1).
                    return $"coalesce(substr({column}, 1, length({prefix})) = {prefix}, 0)";
                case ExpressionType.MemberAccess when node.Type == typeof(bool) && IsColumn(node):
                    return $"({Column(node)} = 1)";
                case ExpressionType.Constant when node.Type == typeof(bool):
                    return (bool)((ConstantExpression)node).Value! ? "1" : "0";
                default:
                    throw new NotSupportedException($"Cannot translate {node} ({node.NodeType}) into SQL.");
            }
        }

        private string Comparison(BinaryExpression comparison)
        {
            var left = Operand(comparison.Left);
            var right = Operand(comparison.Right);
            switch (comparison.NodeType)
            {
                // SQLite's IS / IS NOT compare NULL as a value (NULL IS NULL is 1, 'x' IS NOT NULL is 1): exactly C#'s
                // == and != on nullable values, and never NULL themselves. "City" = @p0 would drop NULL rows from
                // both "City" <> @p0 and NOT ("City" = @p0).
                case ExpressionType.Equal:
                    return $"({left} IS {right})";
                case ExpressionType.NotEqual:
                    return $"({left} IS NOT {right})";
                default:
                    var op = comparison.NodeType switch
                    {
                        ExpressionType.LessThan => "<",
                        ExpressionType.LessThanOrEqual => "<=",
                        ExpressionType.GreaterThan => ">",
                        _ => ">=",
                    };
                    // In C# an ordering comparison with null is false; in SQL it is NULL. coalesce(..., 0) makes it
                    // false, so that NOT of it is true, as in C#.
                    var nullable = CanBeNull(comparison.Left) || CanBeNull(comparison.Right);
                    return nullable ? $"coalesce({left} {op} {right}, 0)" : $"({left} {op} {right})";
            }
        }

        private static bool CanBeNull(Expression node) =>
            !node.Type.IsValueType || Nullable.GetUnderlyingType(node.Type) is not null;

        /// <summary>A column, or a value that does not depend on the row.</summary>
        private string Operand(Expression node)
        {
            var unwrapped = StripConversions(node);
            if (IsColumn(unwrapped))
            {
                return Column(unwrapped);
            }
            return Value(node);
        }

        /// <summary>The compiler widens a column for comparison (int to long, int to int?): the column is inside.</summary>
        private static Expression StripConversions(Expression node)
        {
            while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
            {
                node = convert.Operand;
            }
            return node;
        }

        private bool IsColumn(Expression node) =>
            node is MemberExpression { Member: PropertyInfo, Expression: var target } && target == row;

        private string Column(Expression node)
        {
            node = StripConversions(node);
            if (!IsColumn(node))
            {
                throw new NotSupportedException($"Cannot translate {node}: only properties of {row.Name} are columns.");
            }
            // A quoted identifier; doubling quotes is belt and braces, property names cannot contain them.
            var name = ((MemberExpression)node).Member.Name;
            return "\"" + name.Replace("\"", "\"\"") + "\"";
        }

        /// <summary>Evaluates a row-independent expression now and returns its parameter's name.</summary>
        private string Value(Expression node)
        {
            if (UsesRow(node))
            {
                throw new NotSupportedException($"Cannot translate {node} into SQL: it needs the row, and it is not a column.");
            }
            Values.Add(Evaluate(node));
            return "@p" + (Values.Count - 1);
        }

        private bool UsesRow(Expression node)
        {
            var finder = new ParameterFinder(row);
            finder.Visit(node);
            return finder.Found;
        }

        private static object? Evaluate(Expression node) => node switch
        {
            ConstantExpression constant => constant.Value,
            // The common case, a captured local: a field of the compiler's closure object. No compilation needed.
            MemberExpression { Member: FieldInfo field, Expression: ConstantExpression closure } =>
                field.GetValue(closure.Value),
            // Anything else (name.Trim(), DateTime.Today): interpret it once. The interpreter avoids a JIT per query.
            _ => Expression.Lambda(node).Compile(preferInterpretation: true).DynamicInvoke(),
        };
    }

    private sealed class ParameterFinder(ParameterExpression row) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found |= node == row;
            return node;
        }
    }
}
