using System.Diagnostics;
using System.Text;

namespace OfaBuild.TestSupport;

/// <summary>What a finished process wrote: its standard output, its standard error, and both interleaved as they came.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Output)
{
    /// <summary>Wall clock from start to exit: what output paced in time (a progress line every 30 s) is bounded by.</summary>
    public TimeSpan Elapsed { get; init; }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs a program as a separate process and captures its output; a timeout kills the whole process tree.</summary>
public static class ProcessRunner
{
    public static ProcessResult Run(string program, IEnumerable<string> args, string? workingDir = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDir is not null) psi.WorkingDirectory = workingDir;
        var argList = args.ToArray();
        foreach (var a in argList) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;

        using var p = new Process { StartInfo = psi };
        StringBuilder stdout = new(), stderr = new(), output = new();
        void Capture(StringBuilder own, string? line)
        {
            if (line is null) return;
            lock (output)
            {
                own.AppendLine(line);
                output.AppendLine(line);
            }
        }
        p.OutputDataReceived += (_, e) => Capture(stdout, e.Data);
        p.ErrorDataReceived += (_, e) => Capture(stderr, e.Data);
        var clock = Stopwatch.StartNew();
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', argList)} timed out.\n{output}");
        }
        p.WaitForExit(); // drains the output events
        return new ProcessResult(p.ExitCode, stdout.ToString(), stderr.ToString(), output.ToString()) { Elapsed = clock.Elapsed };
    }
}
