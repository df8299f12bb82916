namespace OfaBuild.Cli.Tests;

/// <summary>Runs the built `ofa` tool as a user would: a separate process, exit code and output.</summary>
internal static class Ofa
{
    /// <summary>
    /// The full tool as its own project (src/OfaBuild.Tool) builds it, in the configuration of these tests; it
    /// patches its TorchSharp library for Debian 12 itself at start-up.
    /// </summary>
    public static string ToolPath { get; } = Fixtures.RepoFile("src", "OfaBuild.Tool", "bin", Configuration, "net10.0", "ofa.dll");

    /// <summary>
    /// The build-host tool (src/OfaBuild.Cli: no TorchSharp, no image decoder), as its own project builds it for the full
    /// tool, which references it.
    /// </summary>
    public static string HostToolPath { get; } = Fixtures.RepoFile("src", "OfaBuild.Cli", "bin", Configuration, "net10.0", "OfaBuild.Cli.dll");

    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static ProcessResult Run(params string[] args) => RunIn(null, args);

    /// <summary>Runs the tool with <paramref name="environment"/> added to this process's (e.g. a user's locale).</summary>
    public static ProcessResult RunIn(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        ProcessRunner.Run("dotnet", [ToolPath, .. args], environment: environment);

    /// <summary>Runs the tool and asserts it succeeded, showing its output when it did not.</summary>
    public static ProcessResult Succeeds(params string[] args) => SucceedsIn(null, args);

    /// <summary>As <see cref="Succeeds"/>, with <paramref name="environment"/> added (<see cref="RunIn"/>).</summary>
    public static ProcessResult SucceedsIn(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var r = RunIn(environment, args);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>Runs the build-host tool (<see cref="HostToolPath"/>) and asserts it succeeded, as <see cref="Succeeds"/>.</summary>
    public static ProcessResult HostSucceeds(params string[] args)
    {
        var r = ProcessRunner.Run("dotnet", [HostToolPath, .. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    /// <summary>
    /// Runs the tool and asserts it refused as a user should see it: exit code 1 and a message, not a stack trace.
    /// </summary>
    public static ProcessResult Refuses(params string[] args)
    {
        var r = Run(args);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.False(r.Stderr.Contains("   at ", StringComparison.Ordinal), r.ToString());
        return r;
    }

    /// <summary>`ofa COMMAND --help` with the whitespace folded: help wraps long descriptions at the terminal's width.</summary>
    public static string Help(string command) =>
        string.Join(" ", Succeeds([.. command.Split(' '), "--help"]).Stdout.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>`ofa init`: an untrained supernet package of <paramref name="space"/> at <paramref name="path"/>.</summary>
    public static void Init(string path, string space = "mbv3-fmnist") => Succeeds("init", "--space", space, "-o", path);

    /// <summary>
    /// An untrained package of <paramref name="space"/> (<see cref="Init"/>), SPACE/p.ofa, for the tests that only read it,
    /// made once per test run (<see cref="SharedFiles"/>): named p.ofa as the tests name their own, for the file names the
    /// tool derives from it (`ofa profile -o cortex-a53.p.json`). A test that changes its package, or whose command writes
    /// beside it (as `ofa measure` and `ofa regret` do), copies it into its own folder.
    /// </summary>
    public static string Untrained(string space = "mbv3-fmnist") => SharedFiles.Get(Path.Combine(space, "p.ofa"), path => Init(path, space));
}
