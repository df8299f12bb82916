namespace OfaBuild.TestSupport;

/// <summary>A temporary folder, removed after the test; <c>dir["a/b.png"]</c> is a path inside it.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ofa-test-").FullName;

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    // A process a test started may still hold a file for a moment; a leftover temp folder is no failure.
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>
/// A test class each of whose tests gets its own <see cref="TempDir"/>, <see cref="Dir"/>: xunit makes an instance per
/// test and disposes it after.
/// </summary>
public abstract class TempDirTest : IDisposable
{
    protected TempDir Dir { get; } = new();

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
