using System.Diagnostics;

namespace OfaBuild.AdaptiveBench;

/// <summary>Busy processes (a shell spinning in a loop) started for one phase of the benchmark and killed, by id, when disposed.</summary>
internal sealed class CpuContention : IDisposable
{
    private readonly List<Process> _busy = [];

    public CpuContention(int processes)
    {
        for (int i = 0; i < processes; i++)
            _busy.Add(Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })
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
