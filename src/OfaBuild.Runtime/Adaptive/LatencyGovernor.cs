namespace OfaBuild.Runtime;

/// <summary>
/// Chooses the rung of an adaptive target's ladder for each call so that the latency budget holds under load.
/// <para>
/// The rule, evaluated after every call recorded on the current rung (calls that started on another rung only count
/// as served): the window holds the current rung's last <see cref="GovernorOptions.WindowSize"/> latencies and is
/// cleared on every change, so a rung is judged only on its own calls. With p the window's percentile
/// (<see cref="GovernorOptions.Percentile"/>, nearest rank):
/// </para>
/// <list type="bullet">
/// <item>Step down (one rung faster) as soon as the window's p is certain to exceed the budget: more calls over budget
/// than a full window's p allows (3 of 64 at p95), so 4 slow calls step down, even on a fresh rung, and a single spike
/// never does. On a full window this is exactly p &gt; budget.</item>
/// <item>Step up (one rung slower, never above the power-saving ceiling) when p scaled to the rung above by the predicted
/// latency ratio fits <see cref="GovernorOptions.StepUpHeadroom"/> x budget and the rung has served the current step-up
/// wait (<see cref="GovernorOptions.StepUpAfterCalls"/>). The headroom below 1 is the hysteresis; the wait doubles (up to
/// <see cref="GovernorOptions.MaxStepUpAfterCalls"/>) each time a step up is undone before it held for StepUpAfterCalls
/// calls, and returns to StepUpAfterCalls when one holds, so a predicted ratio that is too optimistic costs a few slow calls ever
/// more rarely instead of oscillating.</item>
/// </list>
/// <para>
/// A pinned rung serves every call and nothing is judged. Power saving serves the cheapest rung whose predicted accuracy
/// meets the floor (rung 0 if none does) and makes it the ceiling; the budget may still step below it.
/// Thread-safe: <see cref="Enter"/> is one volatile read, so a call runs on the rung current when it starts; a change
/// affects only calls that start after it; no call is dropped or repeated. With one rung nothing is ever judged.
/// Deterministic: the decisions depend only on the sequence of recorded latencies and app settings.
/// </para>
/// </summary>
public sealed class LatencyGovernor
{
    private readonly LadderRung[] _rungs;
    private readonly GovernorOptions _options;
    private readonly long _frequency;
    private readonly object _gate = new();
    private readonly LatencyWindow _window;
    private readonly long[] _served;
    private volatile int _rung, _lastServed;
    // Under _gate:
    private double _budgetMs;
    private long _budgetTicks;
    private int? _pinned;
    private double? _accuracyFloor;
    private int _ceiling, _callsOnRung, _stepUpAfter;
    private bool _enteredByStepUp;
    private long _sequence;

    /// <param name="rungs">Rung 0 first (the subnet chosen for the budget), then ever faster ones.</param>
    /// <param name="timestampFrequency">Ticks per second of the latencies passed to <see cref="Exit"/> (Stopwatch.Frequency for the system clock).</param>
    public LatencyGovernor(IReadOnlyList<LadderRung> rungs, double latencyBudgetMs, long timestampFrequency, GovernorOptions? options = null)
    {
        if (rungs.Count == 0) throw new ArgumentException("A ladder needs at least one rung.", nameof(rungs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _options = options ?? new GovernorOptions();
        _options.Validate();
        _rungs = [.. rungs];
        for (int i = 0; i < _rungs.Length; i++)
            if (!(_rungs[i].PredictedLatencyMs > 0))
                throw new ArgumentException($"Rung {i} ({_rungs[i].Name}): predicted latency {_rungs[i].PredictedLatencyMs} ms must be positive.", nameof(rungs));
        _frequency = timestampFrequency;
        _window = new LatencyWindow(_options.WindowSize);
        _served = new long[_rungs.Length];
        _stepUpAfter = _options.StepUpAfterCalls;
        SetBudget(latencyBudgetMs, nameof(latencyBudgetMs));
    }

    /// <summary>Raised after a change of rung, outside the lock, on the thread that caused it.</summary>
    public event EventHandler<RungChangedEventArgs>? RungChanged;

    public IReadOnlyList<LadderRung> Rungs => _rungs;
    public GovernorOptions Options => _options;
    /// <summary>The rung the next call will run on.</summary>
    public int CurrentRung => _rung;
    /// <summary>The rung that served the most recently finished call.</summary>
    public int LastServedRung => _lastServed;
    /// <summary>Calls each rung has served (finished), in rung order.</summary>
    public long ServedCalls(int rung) => Interlocked.Read(ref _served[rung]);

    /// <summary>The budget the window's percentile is held against; may change at run time, applies from the next call.</summary>
    public double LatencyBudgetMs
    {
        get { lock (_gate) return _budgetMs; }
        set { lock (_gate) SetBudget(value, nameof(value)); }
    }

    /// <summary>A rung that serves every call (null: adaptive). Pinning switches at once; unpinning resumes the rule from the pinned rung.</summary>
    public int? PinnedRung
    {
        get { lock (_gate) return _pinned; }
        set
        {
            if (value is { } pin) ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)pin, (uint)_rungs.Length, nameof(PinnedRung));
            RungChangedEventArgs? change = null;
            lock (_gate)
            {
                _pinned = value;
                if (value is { } r && r != _rung) change = Switch(r, RungChangeReason.Pinned, null);
                else ResetWindow();
            }
            Raise(change);
        }
    }

    /// <summary>
    /// Power saving: the predicted top-1 (fraction) the served rung must keep (null: off). On: serves the cheapest rung
    /// that meets it, at once, and never steps above it. Off: the rule steps back up as the budget allows.
    /// </summary>
    public double? PowerSavingAccuracyFloor
    {
        get { lock (_gate) return _accuracyFloor; }
        set
        {
            RungChangedEventArgs? change = null;
            lock (_gate)
            {
                _accuracyFloor = value;
                _ceiling = value is { } floor ? CheapestMeeting(floor) : 0;
                if (_pinned is null && _rung < _ceiling) change = Switch(_ceiling, RungChangeReason.PowerSaving, null);
            }
            Raise(change);
        }
    }

    /// <summary>Starts a call: the rung it runs on.</summary>
    public int Enter() => _rung;

    /// <summary>Ends a call started with <see cref="Enter"/>: records its latency and applies the rule. Allocates only when the rung changes.</summary>
    public void Exit(int rung, long elapsedTicks)
    {
        Interlocked.Increment(ref _served[rung]);
        _lastServed = rung;
        if (_rungs.Length == 1) return;
        RungChangedEventArgs? change;
        lock (_gate)
        {
            if (_pinned is not null || rung != _rung) return;
            _window.Add(elapsedTicks);
            _callsOnRung++;
            change = Decide();
        }
        Raise(change);
    }

    private RungChangedEventArgs? Decide()
    {
        if (_enteredByStepUp && _callsOnRung >= _options.StepUpAfterCalls) _stepUpAfter = _options.StepUpAfterCalls; // the step up held
        if (_rung < _rungs.Length - 1 && _window.CountAbove(_budgetTicks) > _window.AllowedAbove(_options.Percentile))
        {
            if (_enteredByStepUp && _callsOnRung < _options.StepUpAfterCalls)
                _stepUpAfter = Math.Min(2 * _stepUpAfter, _options.MaxStepUpAfterCalls); // undone at once: wait longer next time
            return Switch(_rung + 1, RungChangeReason.OverBudget, _window.Percentile(_options.Percentile));
        }
        if (_rung > _ceiling && _callsOnRung >= _stepUpAfter && _window.IsFull)
        {
            long p = _window.Percentile(_options.Percentile);
            double scaledUp = p * (_rungs[_rung - 1].PredictedLatencyMs / _rungs[_rung].PredictedLatencyMs);
            if (scaledUp <= _options.StepUpHeadroom * _budgetTicks) return Switch(_rung - 1, RungChangeReason.Headroom, p);
        }
        return null;
    }

    private RungChangedEventArgs Switch(int to, RungChangeReason reason, long? windowTicks)
    {
        int from = _rung;
        _rung = to;
        _enteredByStepUp = reason == RungChangeReason.Headroom;
        ResetWindow();
        return new RungChangedEventArgs(from, to, reason, ++_sequence, windowTicks * 1000.0 / _frequency);
    }

    private void ResetWindow()
    {
        _window.Clear();
        _callsOnRung = 0;
    }

    private void SetBudget(double ms, string paramName)
    {
        if (!(ms > 0) || double.IsInfinity(ms))
            throw new ArgumentOutOfRangeException(paramName, ms, "The latency budget is a positive number of milliseconds.");
        _budgetMs = ms;
        _budgetTicks = (long)Math.Round(ms * _frequency / 1000.0);
    }

    // The ladder is ordered by cost, so the cheapest rung meeting the floor is the last one that does.
    private int CheapestMeeting(double floor)
    {
        for (int i = _rungs.Length - 1; i > 0; i--)
            if (_rungs[i].PredictedAccuracy >= floor) return i;
        return 0;
    }

    private void Raise(RungChangedEventArgs? change)
    {
        if (change is not null) RungChanged?.Invoke(this, change);
    }
}
