namespace OfaBuild.Core.Tests;

/// <summary>Finds the repository's test fixtures (tests/fixtures/), wherever the test binaries run from.</summary>
internal static class Fixtures
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>A file of the reference implementation's fixture (tests/fixtures/ofa-reference; see its README).</summary>
    public static string Reference(string file)
    {
        var path = Path.Combine(RepoRoot, "tests", "fixtures", "ofa-reference", file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Reference fixture '{path}' not found; it is part of the repository (tests/fixtures/ofa-reference).");
        return path;
    }

    /// <summary>A file of the authors' tutorial artifacts (tests/fixtures/ofa-tutorial; see its README).</summary>
    public static string Tutorial(string file)
    {
        var path = Path.Combine(RepoRoot, "tests", "fixtures", "ofa-tutorial", file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Tutorial fixture '{path}' not found; it is part of the repository (tests/fixtures/ofa-tutorial).");
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OfaBuild.sln")))
                return dir.FullName;
        throw new InvalidOperationException("OfaBuild.sln not found above " + AppContext.BaseDirectory);
    }
}
