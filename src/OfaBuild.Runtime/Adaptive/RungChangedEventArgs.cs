using OfaBuild.Contracts;

namespace OfaBuild.Runtime;

/// <summary>Why the governor changed rung.</summary>
public enum RungChangeReason
{
    /// <summary>The window's percentile exceeded the budget: one rung down (faster).</summary>
    OverBudget,
    /// <summary>The window's percentile, scaled to the rung above, fits the budget with headroom: one rung up.</summary>
    Headroom,
    /// <summary>The app pinned a rung.</summary>
    Pinned,
    /// <summary>The app turned power saving on: the cheapest rung that meets its accuracy floor.</summary>
    PowerSaving,
}

/// <summary>
/// A rung change. Handlers run on the thread of the call that caused it, outside the governor's lock; changes from
/// concurrent calls may arrive out of order, <see cref="Sequence"/> orders them (1, 2, ...; each From is the previous To).
/// </summary>
public sealed class RungChangedEventArgs(int from, int to, RungChangeReason reason, long sequence, double? windowLatencyMs) : EventArgs
{
    public int From { get; } = from;
    public int To { get; } = to;
    public RungChangeReason Reason { get; } = reason;
    public long Sequence { get; } = sequence;
    /// <summary>The window's percentile latency (ms) that decided an <see cref="RungChangeReason.OverBudget"/> or <see cref="RungChangeReason.Headroom"/> change.</summary>
    public double? WindowLatencyMs { get; } = windowLatencyMs;

    public override string ToString() =>
        $"#{Sequence}: rung {From} -> {To} ({Reason}{(WindowLatencyMs is { } ms ? $", window p {LatencyText.Ms(ms)}" : "")})";
}
