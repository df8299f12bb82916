namespace OfaBuild.Core.Tests;

/// <summary>Finds the shared reference fixtures: $OFABUILD_SHARED, else ../shared beside the repository.</summary>
internal static class Fixtures
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedDir =>
        Environment.GetEnvironmentVariable("OFABUILD_SHARED") is { Length: > 0 } env
            ? env
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Reference(string file)
    {
        var path = Path.Combine(SharedDir, "fixtures", "ofa-reference", file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Reference fixture '{path}' not found; set OFABUILD_SHARED to the shared/ folder.");
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
