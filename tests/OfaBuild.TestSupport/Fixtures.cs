namespace OfaBuild.TestSupport;

/// <summary>Finds the repository and its test fixtures (tests/fixtures/), wherever the test binaries run from.</summary>
public static class Fixtures
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A file of the repository.</summary>
    public static string RepoFile(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>A file of the reference implementation's fixture (tests/fixtures/ofa-reference; see its README).</summary>
    public static string Reference(string file) => File("ofa-reference", file);

    /// <summary>A file of the authors' tutorial artifacts (tests/fixtures/ofa-tutorial; see its README).</summary>
    public static string Tutorial(string file) => File("ofa-tutorial", file);

    /// <summary>A file of the fixture folder tests/fixtures/<paramref name="folder"/> (each folder's README says where it comes from).</summary>
    public static string File(string folder, string file)
    {
        var path = RepoFile("tests", "fixtures", folder, file);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException($"Fixture '{path}' not found; it is part of the repository (tests/fixtures/{folder}).");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "OfaBuild.sln")))
                return dir.FullName;
        throw new InvalidOperationException("OfaBuild.sln not found above " + AppContext.BaseDirectory);
    }
}
