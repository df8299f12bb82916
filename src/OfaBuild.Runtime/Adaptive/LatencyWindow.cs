namespace OfaBuild.Runtime;

/// <summary>The last <c>capacity</c> latencies in a ring buffer, and their percentile; allocates only in its constructor. Not thread-safe.</summary>
internal sealed class LatencyWindow
{
    private readonly long[] _ring, _sorted;
    private int _next;

    public LatencyWindow(int capacity)
    {
        _ring = new long[capacity];
        _sorted = new long[capacity];
    }

    public int Count { get; private set; }
    public bool IsFull => Count == _ring.Length;

    public void Add(long ticks)
    {
        _ring[_next] = ticks;
        _next = (_next + 1) % _ring.Length;
        if (Count < _ring.Length) Count++;
    }

    public void Clear() => Count = _next = 0;

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="q"/> of the window at or below it.</summary>
    public long Percentile(double q)
    {
        if (Count == 0) throw new InvalidOperationException("The window is empty.");
        var values = _sorted.AsSpan(0, Count);
        _ring.AsSpan(0, Count).CopyTo(values); // with Count < capacity the values are the ring's first Count slots
        values.Sort();
        int rank = (int)Math.Ceiling(q * Count);
        return values[Math.Clamp(rank, 1, Count) - 1];
    }
}
