namespace OfaBuild.Runtime;

/// <summary>The knobs of <see cref="LatencyGovernor"/>'s rule; the defaults are what the README's benchmark used.</summary>
public sealed record GovernorOptions
{
    /// <summary>Latencies kept (the current rung's most recent calls); a step up needs a full window.</summary>
    public int WindowSize { get; init; } = 64;
    /// <summary>The percentile of the window held against the budget (nearest rank).</summary>
    public double Percentile { get; init; } = 0.95;
    /// <summary>Step up only when the window's percentile, scaled to the next rung up, is at most this share of the budget.</summary>
    public double StepUpHeadroom { get; init; } = 0.8;
    /// <summary>Calls on a rung before a step up is considered.</summary>
    public int StepUpAfterCalls { get; init; } = 256;
    /// <summary>Cap of the step-up wait, which doubles each time a step up is undone before it held for <see cref="StepUpAfterCalls"/>.</summary>
    public int MaxStepUpAfterCalls { get; init; } = 8192;

    internal void Validate()
    {
        if (WindowSize < 1) throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "The window needs at least one call.");
        if (!(Percentile > 0 && Percentile <= 1)) throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, "The percentile is a fraction in (0, 1].");
        if (!(StepUpHeadroom > 0 && StepUpHeadroom < 1)) throw new ArgumentOutOfRangeException(nameof(StepUpHeadroom), StepUpHeadroom, "The headroom is a fraction in (0, 1); below 1 is the hysteresis.");
        if (StepUpAfterCalls < WindowSize) throw new ArgumentOutOfRangeException(nameof(StepUpAfterCalls), StepUpAfterCalls, $"A step up needs at least a full window ({WindowSize} calls).");
        if (MaxStepUpAfterCalls < StepUpAfterCalls) throw new ArgumentOutOfRangeException(nameof(MaxStepUpAfterCalls), MaxStepUpAfterCalls, $"The cap is below StepUpAfterCalls ({StepUpAfterCalls}).");
    }
}
