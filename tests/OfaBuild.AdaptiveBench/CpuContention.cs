using System.Diagnostics;

namespace OfaBuild.AdaptiveBench;

/// <summary>
/// Busy processes (a shell spinning in a loop) started for one phase of the benchmark and killed, by id, when disposed.
/// Each also stops within a second or so of the benchmark's process being gone: a bench stopped by Ctrl-C or kill never
/// disposes them, and a bare `while :; do :; done` then spun at 100 % CPU under PID 1 for good.
/// </summary>
internal sealed class CpuContention : IDisposable
{
    private readonly List<Process> _busy = [];

    public CpuContention(int processes)
    {
        // Pure shell arithmetic between the checks, so it loads a core as the bare loop did (same CPU share, measured).
        string spin = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do n=0; while [ $n -lt 200000 ]; do n=$((n+1)); done; done";
        for (int i = 0; i < processes; i++)
            _busy.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", spin]) { UseShellExecute = false })
                ?? throw new InvalidOperationException("Could not start /bin/sh for CPU contention."));
        Thread.Sleep(200); // let the scheduler spread them
    }

    public void Dispose()
    {
        foreach (var p in _busy)
        {
            try { p.Kill(entireProcessTree: true); p.WaitForExit(); }
            catch (InvalidOperationException) { } // already gone
            p.Dispose();
        }
    }
}
