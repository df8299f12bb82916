using System.Diagnostics;
using System.Text;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>Runs a command and captures its output; a timeout kills the whole process tree.</summary>
internal static class Shell
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    public static Result Run(string file, string workingDir, IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Builds inside tests must not reuse or leave MSBuild nodes behind.
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = new Process { StartInfo = psi };
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} timed out.\n{output}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, output.ToString());
    }

    public static Result Dotnet(string workingDir, params string[] args) => Run("dotnet", workingDir, null, null, args);
}
