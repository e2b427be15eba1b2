namespace Koans.Runner;

/// <summary>
/// A problem the person at the keyboard can fix: the message is one clear sentence saying what to do.
/// The runner prints it without a stack trace.
/// </summary>
public sealed class KoansException(string message) : Exception(message);
