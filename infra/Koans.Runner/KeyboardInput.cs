namespace Koans.Runner;

/// <summary>
/// Keys from the terminal, or characters from a redirected stdin (a script, a test), on a background thread; EOF or
/// q stops reading. Shared by watch and dojo.
/// </summary>
public static class KeyboardInput
{
    public static void Start(Action<char> onKey, string name, CancellationToken cancellationToken) =>
        new Thread(() => Read(onKey, cancellationToken)) { IsBackground = true, Name = name }.Start();

    private static void Read(Action<char> onKey, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            char character;
            try
            {
                if (Console.IsInputRedirected)
                {
                    var read = Console.In.Read();
                    if (read < 0)
                    {
                        return;
                    }

                    character = (char)read;
                }
                else
                {
                    character = Console.ReadKey(intercept: true).KeyChar;
                }
            }
            catch (InvalidOperationException)
            {
                return; // no console to read from
            }

            character = char.ToLowerInvariant(character);
            onKey(character);
            if (character == 'q')
            {
                return;
            }
        }
    }
}
