namespace OfaBuild.Cli.Tests;

[CollectionDefinition(nameof(ToolPackageTests), DisableParallelization = true)]
public sealed class ToolPackageCollection;

/// <summary>
/// The `ofa` .NET tool as a user gets it: build/pack-tool.sh packs it, `dotnet tool install --tool-path` installs it,
/// and the installed command runs a build-host command and one that loads TorchSharp (which needs the Debian 12 fix
/// the tool applies at start-up). Feed, NuGet cache and tool folder are temporary: the package is about 260 MB.
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
