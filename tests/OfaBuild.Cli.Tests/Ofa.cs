using System.Diagnostics;

namespace OfaBuild.Cli.Tests;

/// <summary>Runs the built `ofa` tool as a user would: a separate process, exit code and output.</summary>
internal static class Ofa
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>
    /// The full tool as its own project (src/OfaBuild.Tool) builds it, in the configuration of these tests; it
    /// patches its TorchSharp library for Debian 12 itself at start-up.
    /// </summary>
    public static string ToolPath { get; } = Path.Combine(RepoRoot, "src", "OfaBuild.Tool", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug", "net10.0", "ofa.dll");

    private static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OfaBuild.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("OfaBuild.sln not found");
        }
    }

    public static Result Run(params string[] args) => Exec("dotnet", [ToolPath, .. args]);

    /// <summary>Runs any program (a script, an installed tool) with <paramref name="environment"/> added to ours.</summary>
    public static Result Exec(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException(program + " " + string.Join(' ', args));
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A file of the repository.</summary>
    public static string RepoFile(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>A file of the reference implementation's fixture (tests/fixtures/ofa-reference).</summary>
    public static string ReferenceFixture(string file) => RepoFile("tests", "fixtures", "ofa-reference", file);

    /// <summary>A file of the OFA authors' tutorial artifacts (tests/fixtures/ofa-tutorial).</summary>
    public static string TutorialFixture(string file) => RepoFile("tests", "fixtures", "ofa-tutorial", file);
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ofa-cli-").FullName;
    public string this[string file] => System.IO.Path.Combine(Path, file);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
