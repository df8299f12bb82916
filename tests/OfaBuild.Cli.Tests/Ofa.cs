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
    /// The tool as its own project builds it (same configuration as these tests): its output folder is the
    /// one where TorchSharp's native libraries are laid out and patched for Debian 12.
    /// </summary>
    public static string ToolPath { get; } = Path.Combine(RepoRoot, "src", "OfaBuild.Cli", "bin",
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

    public static Result Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(ToolPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("ofa " + string.Join(' ', args));
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A file of the reference implementation's fixture (tests/fixtures/ofa-reference).</summary>
    public static string ReferenceFixture(string file) => Path.Combine(RepoRoot, "tests", "fixtures", "ofa-reference", file);

    /// <summary>A file of the OFA authors' tutorial artifacts (tests/fixtures/ofa-tutorial).</summary>
    public static string TutorialFixture(string file) => Path.Combine(RepoRoot, "tests", "fixtures", "ofa-tutorial", file);
}

/// <summary>A temporary folder removed after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ofa-cli-").FullName;
    public string this[string file] => System.IO.Path.Combine(Path, file);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
