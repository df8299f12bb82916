namespace OfaBuild.Runtime.Tests.Adaptive;

/// <summary>
/// A clock in microseconds where every run takes <see cref="LatencyMs"/>: the first timestamp of a run is "now", the
/// second is now + latency (OfaModelSession reads the clock twice per run). Single-threaded callers only.
/// </summary>
internal sealed class FakeClock : TimeProvider
{
    private long _now;
    private bool _inRun;

    public double LatencyMs { get; set; }
    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp()
    {
        if (_inRun) _now += (long)Math.Round(LatencyMs * 1000);
        _inRun = !_inRun;
        return _now;
    }
}
