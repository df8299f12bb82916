namespace OfaBuild.EndToEnd.Tests;

/// <summary>Runs the commands of a build (dotnet, qemu, unshare) with the environment builds inside tests need.</summary>
internal static class Shell
{
    public static ProcessResult Run(string file, string workingDir, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            // Builds inside tests must not reuse or leave MSBuild nodes behind.
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) environment[k] = v;
        return ProcessRunner.Run(file, args, workingDir, environment, timeout ?? TimeSpan.FromMinutes(10));
    }

    public static ProcessResult Dotnet(string workingDir, params string[] args) => Run("dotnet", workingDir, null, null, args);

    /// <summary>Asserts that the command exited 0, with its output as the failure message; returns it for the test's other checks.</summary>
    public static ProcessResult Succeeded(this ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }
}
