using System.Collections.Concurrent;

namespace OfaBuild.TestSupport;

/// <summary>
/// Files the tests of a run only read, each made once, by the first test that asks for it, in one temporary folder of
/// the test process that is removed when the process exits. xunit runs test classes in parallel: the others wait for
/// the first. No test writes into the folder: one that changes such a file, or whose command writes beside it, copies
/// it into its own <see cref="TempDir"/>.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<TempDir> Root = new(() =>
    {
        var dir = new TempDir();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
        return dir;
    });

    private static readonly ConcurrentDictionary<string, Lazy<object>> Made = new();

    /// <summary>
    /// The path of the shared file <paramref name="relative"/> ("a/b.ofa": a file may need a name of its own, and a
    /// folder for what is kept apart), which <paramref name="make"/> writes (given that path) the first time it is asked
    /// for; a failure to make it fails every test that asks. The path says what the file holds.
    /// </summary>
    public static string Get(string relative, Action<string> make) => Once(relative, path =>
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        make(path);
        return path;
    });

    /// <summary>
    /// The shared folder <paramref name="name"/>, which <paramref name="make"/> fills (given its path) the first time it
    /// is asked for, and what <paramref name="make"/> returned (its path, and e.g. the run that wrote the files, for the
    /// tests that look at that run), as <see cref="Get"/>.
    /// </summary>
    public static T Folder<T>(string name, Func<string, T> make) where T : notnull =>
        Once(name, path => make(Directory.CreateDirectory(path).FullName));

    private static T Once<T>(string relative, Func<string, T> make) where T : notnull =>
        (T)Made.GetOrAdd(relative, _ => new Lazy<object>(() => make(Root.Value[relative]))).Value;
}
