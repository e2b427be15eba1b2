using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;

namespace Koans.Metaprogramming.ExpressionTrees;

/// <summary>Parses the filter language into an <c>Expression&lt;Func&lt;T, bool&gt;&gt;</c>.</summary>
public static class FilterParser
{
    /// <summary>How deep parentheses and <c>!</c> may nest, counted together.</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses <paramref name="filter"/> into a predicate over <typeparamref name="T"/>.</summary>
    public static Expression<Func<T, bool>> Parse<T>(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var item = Expression.Parameter(typeof(T), "item");
        var body = new Parser(filter, item).ParseFilter();
        return Expression.Lambda<Func<T, bool>>(body, item);
    }

    private enum TokenKind
    {
        End, Identifier, Number, String, True, False, Null,
        And, Or, Not, LeftParenthesis, RightParenthesis,
        Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual,
    }

    /// <summary>A token; <see cref="Column"/> is 1-based, <see cref="Text"/> is the decoded value for strings.</summary>
    private readonly record struct Token(TokenKind Kind, int Column, string Text);

    /// <summary>
    /// Recursive descent, one method per precedence level (or &lt; and &lt; unary), with a lexer that reads one token
    /// ahead so that the first error in reading order is the one reported.
    /// </summary>
    private sealed class Parser(string text, ParameterExpression item)
    {
        private int _position;
        private Token _current;

        public Expression ParseFilter()
        {
            Advance();
            var body = ParseOr(depth: 0);
            if (_current.Kind != TokenKind.End)
            {
                throw Error("expected && or || or the end of the filter", _current.Column);
            }
            return body;
        }

        private Expression ParseOr(int depth)
        {
            var left = ParseAnd(depth);
            while (_current.Kind == TokenKind.Or)
            {
                Advance();
                left = Expression.OrElse(left, ParseAnd(depth));
            }
            return left;
        }

        private Expression ParseAnd(int depth)
        {
            var left = ParseUnary(depth);
            while (_current.Kind == TokenKind.And)
            {
                Advance();
                left = Expression.AndAlso(left, ParseUnary(depth));
            }
            return left;
        }

        private Expression ParseUnary(int depth)
        {
            switch (_current.Kind)
            {
                case TokenKind.Not:
                    EnterNesting(depth);
                    Advance();
                    return Expression.Not(ParseUnary(depth + 1));
                case TokenKind.LeftParenthesis:
                    EnterNesting(depth);
                    Advance();
                    var inner = ParseOr(depth + 1);
                    if (_current.Kind != TokenKind.RightParenthesis)
                    {
                        throw Error("expected ')'", _current.Column);
                    }
                    Advance();
                    return inner;
                default:
                    return ParseComparison();
            }
        }

        private void EnterNesting(int depth)
        {
            if (depth >= MaxDepth)
            {
                throw Error($"nesting deeper than {MaxDepth}", _current.Column);
            }
        }

        private Expression ParseComparison()
        {
            if (_current.Kind != TokenKind.Identifier)
            {
                throw Error("expected a property name", _current.Column);
            }
            var name = _current;
            var property = FindProperty(name);
            var propertyType = property.PropertyType;
            var valueType = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
            if (!IsFilterable(valueType))
            {
                throw Error($"{property.Name} is a {propertyType.Name}, which filters do not compare", name.Column);
            }
            Advance();

            var comparison = _current.Kind switch
            {
                TokenKind.Equal => ExpressionType.Equal,
                TokenKind.NotEqual => ExpressionType.NotEqual,
                TokenKind.Less => ExpressionType.LessThan,
                TokenKind.LessOrEqual => ExpressionType.LessThanOrEqual,
                TokenKind.Greater => ExpressionType.GreaterThan,
                TokenKind.GreaterOrEqual => ExpressionType.GreaterThanOrEqual,
                _ => throw Error("expected a comparison operator (== != < <= > >=)", _current.Column),
            };
            // Expression.GreaterThan on two strings throws InvalidOperationException: there is no such operator.
            if (comparison is not (ExpressionType.Equal or ExpressionType.NotEqual) &&
                (valueType == typeof(string) || valueType == typeof(bool)))
            {
                throw Error($"{property.Name} only takes == and !=", _current.Column);
            }
            Advance();

            var constant = ConvertValue(_current, property);
            Advance();
            return Expression.MakeBinary(comparison, Expression.Property(item, property), constant);
        }

        private PropertyInfo FindProperty(Token name)
        {
            var candidates = item.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
                .ToArray();
            // An exact match wins; otherwise exactly one property may match ignoring case.
            var exact = candidates.Where(p => p.Name == name.Text).ToArray();
            var matches = exact.Length > 0
                ? exact
                : candidates.Where(p => string.Equals(p.Name, name.Text, StringComparison.OrdinalIgnoreCase)).ToArray();
            // The message lists what the user could have meant: every property, or the ones the spelling matches.
            return matches.Length == 1
                ? matches[0]
                : throw Error(matches.Length == 0
                    ? $"{item.Type.Name} has no property '{name.Text}'; it has {Names(candidates)}"
                    : $"'{name.Text}' could mean {Names(matches)}: spell it exactly", name.Column);
        }

        private static string Names(IEnumerable<PropertyInfo> properties) =>
            string.Join(", ", properties.Select(p => p.Name));

        private static bool IsFilterable(Type type) =>
            type == typeof(int) || type == typeof(long) || type == typeof(decimal) || type == typeof(double) ||
            type == typeof(string) || type == typeof(bool);

        /// <summary>The literal as a constant of exactly the property's type, so the comparison needs no conversion.</summary>
        private ConstantExpression ConvertValue(Token value, PropertyInfo property)
        {
            var propertyType = property.PropertyType;
            var valueType = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
            var nullable = !propertyType.IsValueType || valueType != propertyType;
            object? converted = value.Kind switch
            {
                TokenKind.Null when nullable => null,
                TokenKind.String when valueType == typeof(string) => value.Text,
                TokenKind.True when valueType == typeof(bool) => true,
                TokenKind.False when valueType == typeof(bool) => false,
                TokenKind.Number when valueType != typeof(string) && valueType != typeof(bool) => ConvertNumber(value, valueType),
                TokenKind.Null or TokenKind.String or TokenKind.True or TokenKind.False or TokenKind.Number =>
                    throw Error($"{value.Text} is not a value for {property.Name} ({propertyType.Name})", value.Column),
                _ => throw Error("expected a value", value.Column),
            };
            return Expression.Constant(converted, propertyType);
        }

        private object ConvertNumber(Token value, Type type)
        {
            try
            {
                if (type == typeof(double))
                {
                    return double.Parse(value.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                        CultureInfo.InvariantCulture);
                }
                var number = decimal.Parse(value.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture);
                if (type == typeof(decimal))
                {
                    return number;
                }
                if (number != decimal.Truncate(number))
                {
                    throw Error($"{value.Text} is not a whole number", value.Column);
                }
                return type == typeof(int) ? (object)decimal.ToInt32(number) : decimal.ToInt64(number);
            }
            catch (OverflowException)
            {
                throw Error($"{value.Text} is out of range for {type.Name}", value.Column);
            }
        }

        private void Advance() => _current = NextToken();

        private Token NextToken()
        {
            while (_position < text.Length && text[_position] is ' ' or '\t')
            {
                _position++;
            }
            var start = _position;
            var column = start + 1;
            if (start >= text.Length)
            {
                return new Token(TokenKind.End, column, "end of filter");
            }

            var c = text[start];
            var next = start + 1 < text.Length ? text[start + 1] : '\0';
            switch (c)
            {
                case '(': _position++; return new Token(TokenKind.LeftParenthesis, column, "(");
                case ')': _position++; return new Token(TokenKind.RightParenthesis, column, ")");
                case '!' when next == '=': _position += 2; return new Token(TokenKind.NotEqual, column, "!=");
                case '!': _position++; return new Token(TokenKind.Not, column, "!");
                case '=' when next == '=': _position += 2; return new Token(TokenKind.Equal, column, "==");
                case '<' when next == '=': _position += 2; return new Token(TokenKind.LessOrEqual, column, "<=");
                case '<': _position++; return new Token(TokenKind.Less, column, "<");
                case '>' when next == '=': _position += 2; return new Token(TokenKind.GreaterOrEqual, column, ">=");
                case '>': _position++; return new Token(TokenKind.Greater, column, ">");
                case '&' when next == '&': _position += 2; return new Token(TokenKind.And, column, "&&");
                case '|' when next == '|': _position += 2; return new Token(TokenKind.Or, column, "||");
                case '\'': return ReadString(column);
            }
            if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
            {
                return ReadNumber(column);
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
                {
                    _position++;
                }
                var word = text[start.._position];
                return word switch
                {
                    "true" => new Token(TokenKind.True, column, word),
                    "false" => new Token(TokenKind.False, column, word),
                    "null" => new Token(TokenKind.Null, column, word),
                    _ => new Token(TokenKind.Identifier, column, word),
                };
            }
            throw Error($"unexpected '{c}'", column);
        }

        private Token ReadNumber(int column)
        {
            var start = _position;
            _position++; // a digit or the minus sign
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }
            if (_position < text.Length && text[_position] == '.')
            {
                _position++;
                if (_position >= text.Length || !char.IsAsciiDigit(text[_position]))
                {
                    throw Error("expected a digit after '.'", _position + 1);
                }
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }
            }
            return new Token(TokenKind.Number, column, text[start.._position]);
        }

        private Token ReadString(int column)
        {
            var value = new StringBuilder();
            _position++; // the opening quote
            while (_position < text.Length)
            {
                var c = text[_position];
                if (c == '\'')
                {
                    _position++;
                    return new Token(TokenKind.String, column, value.ToString());
                }
                if (c == '\\')
                {
                    if (_position + 1 >= text.Length)
                    {
                        break; // unterminated: reported at the opening quote
                    }
                    var escaped = text[_position + 1];
                    if (escaped is not ('\'' or '\\'))
                    {
                        throw Error($"unknown escape '\\{escaped}' (only \\' and \\\\)", _position + 1);
                    }
                    value.Append(escaped);
                    _position += 2;
                    continue;
                }
                value.Append(c);
                _position++;
            }
            throw Error("unterminated string", column);
        }

        private static FilterSyntaxException Error(string message, int column) => new(message, column);
    }
}
