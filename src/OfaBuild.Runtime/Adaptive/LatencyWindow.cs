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

    /// <summary>How many of the window's latencies exceed <paramref name="limit"/>.</summary>
    public int CountAbove(long limit)
    {
        int n = 0;
        foreach (long v in _ring.AsSpan(0, Count)) if (v > limit) n++;
        return n;
    }

    /// <summary>
    /// How many latencies above a limit a full window holds with its <paramref name="q"/> percentile (nearest rank) still
    /// within the limit: capacity - ceil(q x capacity). One more and the percentile is over, whatever the rest of the window.
    /// </summary>
    public int AllowedAbove(double q) => _ring.Length - Math.Clamp((int)Math.Ceiling(q * _ring.Length), 1, _ring.Length);

    /// <summary>Nearest-rank percentile: the smallest value with at least <paramref name="q"/> of the window at or below it.</summary>
    public long Percentile(double q)
    {
        if (Count == 0) throw new InvalidOperationException("The window is empty.");
        var values = _sorted.AsSpan(0, Count);
        _ring.AsSpan(0, Count).CopyTo(values); // with Count < capacity the values are the ring's first Count slots
        Ticks.Sort(values);
        int rank = (int)Math.Ceiling(q * Count);
        return values[Math.Clamp(rank, 1, Count) - 1];
    }
}
