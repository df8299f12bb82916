using System.Diagnostics;

namespace OfaBuild.Cli.Remote;

/// <summary>
/// Publishes the build-host `ofa` (src/OfaBuild.Cli: no TorchSharp) self-contained for a board's runtime
/// identifier, from OfaBuild's sources, into artifacts/profiler/RID of the repository. Its own artifacts
/// path keeps the RID-specific restore and build away from the repository's bin/ and obj/, and makes a
/// second publish incremental.
/// </summary>
internal static class ProfilerPublisher
{
    private const string Project = "src/OfaBuild.Cli/OfaBuild.Cli.csproj";

    /// <summary>The folder holding the published `OfaBuild.Cli` executable for <paramref name="rid"/>.</summary>
    /// <param name="onBoard">The `ofa profile` command that makes the same table on the board by hand, for the error when the sources are missing.</param>
    public static string Publish(string rid, string onBoard, Action<string> log, CancellationToken cancel)
    {
        // The RID names a folder of the cache, so it may not climb out of it.
        if (!System.Text.RegularExpressions.Regex.IsMatch(rid, "^[a-z0-9][a-z0-9.-]*$"))
            throw new OfaException($"--rid '{rid}' is not a runtime identifier: use one such as linux-arm64, linux-x64 or linux-arm.");
        string repo = FindSources() ?? throw new OfaException(
            "`ofa profile --ssh` publishes the profiler from OfaBuild's sources, and this `ofa` runs from an installed package without them. "
            + "Run it from a clone of the repository (`dotnet run --project src/OfaBuild.Tool -c Release -- profile --ssh ...`, or an installed `ofa` started inside the clone), "
            + $"or install the `ofa` tool on the board and run `{onBoard}` there.");
        string cache = Path.Combine(repo, "artifacts", "profiler", rid);
        string output = Path.Combine(cache, "publish");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "publish", Project, "-c", "Release", "-r", rid, "--self-contained", "-o", output,
            "--artifacts-path", Path.Combine(cache, "build"), "-nologo", "-v:q",
            "-p:OfaRemoteProfiler=true", // trimmed, invariant globalization: see OfaBuild.Cli.csproj
            // The code analyzers check the sources, which every build of the repository does; for the board they
            // only took time: half the CPU time of a first publish (compiling Contracts, Core and Cli for the RID).
            "-p:RunAnalyzers=false",
        })
            psi.ArgumentList.Add(a);
        // A fresh folder: publish -o adds to what is there, and everything in it is copied to the board.
        if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        log($"publishing the profiler for {rid} (dotnet publish {Project} -r {rid} --self-contained) into {output}");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(cancel);
        var stderr = p.StandardError.ReadToEndAsync(cancel);
        using (cancel.Register(() => { try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            if (!p.WaitForExit(TimeSpan.FromMinutes(20)))
            {
                p.Kill(entireProcessTree: true);
                throw new OfaException($"dotnet publish of {Project} for {rid} did not finish within 20 minutes.");
            }
        }
        cancel.ThrowIfCancellationRequested();
        if (p.ExitCode != 0)
            throw new OfaException($"dotnet publish of {Project} for {rid} failed (exit {p.ExitCode}); is '{rid}' a runtime identifier NuGet serves a runtime pack for (linux-arm64, linux-x64, linux-arm)? Output: "
                + (stdout.Result + stderr.Result).Trim().ReplaceLineEndings(" "));
        return output;
    }

    /// <summary>The repository holding the profiler's project: above this tool's files, else above the current folder.</summary>
    private static string? FindSources()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Project)))
                    return dir.FullName;
        return null;
    }
}
