namespace Koans.Runner;

/// <summary>
/// How a command asks before it replaces a learner's work: on the terminal, or (in tests) with a given answer. Without
/// a terminal to ask on, the command refuses with <see cref="NoTerminalAdvice"/>: nothing is overwritten unasked.
/// </summary>
public sealed record Confirmation(bool CanAsk, Func<string, bool> Ask, string NoTerminalAdvice)
{
    public static Confirmation Terminal(string noTerminalAdvice) => new(!Console.IsInputRedirected, question =>
    {
        Console.Write(question + " [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }, noTerminalAdvice);
}
