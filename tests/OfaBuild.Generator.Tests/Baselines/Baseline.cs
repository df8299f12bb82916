using System.Runtime.CompilerServices;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// Checked-in expected sources, compared exactly. To accept new output after a deliberate change, run the tests
/// with OFABUILD_UPDATE_BASELINES=1, then review the diff of tests/OfaBuild.Generator.Tests/Baselines/ in git.
/// </summary>
internal static class Baseline
{
    public static void Match(string name, string actual)
    {
        string path = Path.Combine(Folder(), name + ".txt");
        if (Environment.GetEnvironmentVariable("OFABUILD_UPDATE_BASELINES") == "1")
            File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"Baseline {path} is missing; run with OFABUILD_UPDATE_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    // This file's own folder: the baselines sit beside it in the source tree (stored as .txt so they are not compiled).
    private static string Folder([CallerFilePath] string here = "") => Path.GetDirectoryName(here)!;
}
