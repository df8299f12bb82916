namespace OfaBuild.Runtime;

/// <summary>
/// The latency of a session's first calls on the device it actually runs on, to hold against the predicted one
/// (a table estimated for a board can be far off on the real one). The first <see cref="WarmupCalls"/> calls are
/// skipped (session creation, first-touch allocations, cold caches); the next <see cref="SampleCalls"/> are kept and
/// their median is <see cref="MeasuredLatencyMs"/>. After that, Record is one volatile read.
/// Thread-safe: concurrent calls each claim one sample index.
/// </summary>
public sealed class LatencyMeter
{
    public const int DefaultWarmupCalls = 10;
    public const int DefaultSampleCalls = 100;

    private readonly long[] _samples;
    private readonly long _frequency;
    private int _calls, _filled;
    private volatile bool _done;
    private double _medianMs;

    /// <param name="timestampFrequency">Ticks per second of the elapsed times passed to <see cref="Record"/>.</param>
    public LatencyMeter(long timestampFrequency, int warmupCalls = DefaultWarmupCalls, int sampleCalls = DefaultSampleCalls)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupCalls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCalls);
        _frequency = timestampFrequency;
        WarmupCalls = warmupCalls;
        _samples = new long[sampleCalls];
    }

    public int WarmupCalls { get; }
    public int SampleCalls => _samples.Length;

    /// <summary>Median of the sampled calls in milliseconds; null until all <see cref="SampleCalls"/> have run.</summary>
    public double? MeasuredLatencyMs => _done ? _medianMs : null;

    /// <summary>Records one call's elapsed time (in ticks of the frequency given at construction).</summary>
    public void Record(long elapsedTicks)
    {
        if (_done) return;
        int call = Interlocked.Increment(ref _calls) - 1;
        int index = call - WarmupCalls;
        if (index < 0 || index >= _samples.Length) return;
        _samples[index] = elapsedTicks;
        // The thread that fills the last sample publishes the median; Interlocked orders the other samples' writes before it.
        if (Interlocked.Increment(ref _filled) == _samples.Length)
        {
            Ticks.Sort(_samples);
            int n = _samples.Length;
            double median = n % 2 == 1 ? _samples[n / 2] : (_samples[n / 2 - 1] + _samples[n / 2]) / 2.0;
            _medianMs = median * 1000.0 / _frequency;
            _done = true;
        }
    }
}
