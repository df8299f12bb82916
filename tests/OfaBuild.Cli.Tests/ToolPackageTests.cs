namespace OfaBuild.Cli.Tests;

[CollectionDefinition(nameof(ToolPackageTests), DisableParallelization = true)]
public sealed class ToolPackageCollection;

/// <summary>
/// The `ofa` .NET tool as a user gets it: build/pack-tool.sh packs it, `dotnet tool install --tool-path` installs it,
/// and the installed command runs a build-host command and one that loads TorchSharp (which needs the Debian 12 fix
/// the tool applies at start-up), from a package without the native libraries nothing loads. Feed, NuGet cache and tool
/// folder are temporary: the package is about 250 MB.
/// Runs alone, so packing never rebuilds the tool while another test runs it.
/// </summary>
[Collection(nameof(ToolPackageTests))]
public class ToolPackageTests
{
    [Fact]
    public void The_packed_tool_installs_and_runs_a_host_command_and_a_training_command()
    {
        using var dir = new TempDir();
        // Packing compresses about 0.5 GB of native libraries: 3.5 min on 2 busy cores; allow for a busier machine.
        var pack = ProcessRunner.Run(Fixtures.RepoFile("build", "pack-tool.sh"), [dir["feed"]], timeout: TimeSpan.FromMinutes(30));
        Assert.True(pack.ExitCode == 0, pack.ToString());
        string version = pack.Stdout.Trim();
        // Native libraries nothing loads stay out (OfaNotShipped in the tool's project); the training command below loads what stays.
        using (var nupkg = System.IO.Compression.ZipFile.OpenRead(Path.Combine(dir["feed"], $"OfaBuild.Cli.{version}.nupkg")))
        {
            var natives = nupkg.Entries.Select(e => e.FullName).Where(n => n.Contains("/native/", StringComparison.Ordinal)).ToList();
            Assert.Contains(natives, n => n.EndsWith("/linux-x64/native/libtorch_cpu.so", StringComparison.Ordinal));
            Assert.Contains(natives, n => n.EndsWith("/linux-x64/native/libLibTorchSharp.so", StringComparison.Ordinal));
            Assert.DoesNotContain(natives, n => n.EndsWith("/libtorch_python.so", StringComparison.Ordinal) || n.Contains("_test.so", StringComparison.Ordinal));
            Assert.DoesNotContain(natives, n => n.Contains("LibTorchSharp", StringComparison.Ordinal) && !n.Contains("/linux-x64/", StringComparison.Ordinal)); // no libtorch there
            Assert.Contains(natives, n => n.EndsWith("/osx-arm64/native/libonnxruntime.dylib", StringComparison.Ordinal)); // the other commands run there
        }
        var install = ProcessRunner.Run("dotnet", ["tool", "install", "--tool-path", dir["tools"], "--add-source", dir["feed"], "OfaBuild.Cli", "--version", version],
            environment: new Dictionary<string, string> { ["NUGET_PACKAGES"] = dir["packages"] });
        Assert.True(install.ExitCode == 0, install.ToString());
        string ofa = Path.Combine(dir["tools"], "ofa");

        var help = ProcessRunner.Run(ofa, ["--help"]);
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("ofa [command]", help.Stdout);
        foreach (var command in new[] { "specialize", "profile", "train", "eval", "bench", "report" })
            Assert.Contains($"\n  {command} ", help.Stdout);

        var bench = ProcessRunner.Run(ofa, ["bench", "train-step", "--space", "mbv3-fmnist", "--batch", "2", "--subnets", "1", "--steps", "1", "--warmup", "0", "--threads", "1"]);
        Assert.True(bench.ExitCode == 0, bench.ToString());
        Assert.Matches(@"train step: median \d+ ms over 1 steps", bench.Stdout);
    }
}
