namespace Koans.Runner;

/// <summary>One runner builds in a checkout at a time: a second one gets a clear sentence, not a corrupted build.</summary>
public sealed class RunnerLock : IDisposable
{
    private readonly FileStream _stream;

    private RunnerLock(FileStream stream) => _stream = stream;

    public static RunnerLock Acquire(string root)
    {
        Directory.CreateDirectory(LearnerState.Directory(root));
        var path = Path.Combine(LearnerState.Directory(root), "runner.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            return new RunnerLock(stream);
        }
        catch (IOException)
        {
            var holder = TryRead(path);
            throw new KoansException(
                $"Another ./run-katas.sh{(holder is null ? "" : $" (process {holder})")} is already building in this checkout: wait for it to finish, or stop it, then try again.");
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().Trim();
            return text.Length > 0 ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
