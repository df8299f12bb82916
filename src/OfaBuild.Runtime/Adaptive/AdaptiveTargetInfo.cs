using OfaBuild.Contracts;

namespace OfaBuild.Runtime;

/// <summary>
/// What an adaptive target is and does now: its rungs, rung 0 (the subnet chosen for the budget) first, each with
/// what the build predicted and what this device measured, and which rung served. A live view of an
/// <see cref="AdaptiveSession"/>; the generated wrapper of an adaptive target returns it as Info.
/// </summary>
public sealed class AdaptiveTargetInfo
{
    private readonly LatencyGovernor _governor;

    internal AdaptiveTargetInfo(IReadOnlyList<OfaTargetInfo> rungs, LatencyGovernor governor)
    {
        Rungs = rungs;
        _governor = governor;
    }

    /// <summary>Every rung, rung 0 first: predicted latency and accuracy, and <see cref="OfaTargetInfo.MeasuredLatencyMs"/>.</summary>
    public IReadOnlyList<OfaTargetInfo> Rungs { get; }
    /// <summary>Rung 0: the target as declared (device, budget, table kind).</summary>
    public OfaTargetInfo Target => Rungs[0];
    /// <summary>The rung that served the most recently finished call.</summary>
    public int ServedRung => _governor.LastServedRung;
    /// <summary>The rung the next call will run on.</summary>
    public int CurrentRung => _governor.CurrentRung;
    /// <summary>The rung that served the most recently finished call.</summary>
    public OfaTargetInfo Served => Rungs[ServedRung];
    /// <summary>Measured latency (ms) of the rung that served last; compare with its <see cref="OfaTargetInfo.PredictedLatencyMs"/>.</summary>
    public double? MeasuredLatencyMs => Served.MeasuredLatencyMs;
    /// <summary>The served rung's predicted latency (ms), to compare with <see cref="MeasuredLatencyMs"/>, as on a fixed target's Info.</summary>
    public double PredictedLatencyMs => Served.PredictedLatencyMs;
    /// <summary>Numeric precision of the ladder's models (every rung is built alike), as on a fixed target's Info.</summary>
    public OfaPrecision Precision => Target.Precision;
    /// <summary>Precision of the latency table the rungs' predicted latencies are for, as on a fixed target's Info.</summary>
    public OfaPrecision LatencyTablePrecision => Target.LatencyTablePrecision;
    /// <summary>Intra-op threads of the latency table's protocol (null: the table does not say), as on a fixed target's Info.</summary>
    public int? LatencyTableThreads => Target.LatencyTableThreads;
    /// <summary>The input callers pass: rung 0's (a rung at a lower resolution gets it resized), so <c>Info.Input.Prepare(...)</c> serves every rung.</summary>
    public OfaInputInfo Input => Target.Input;
    /// <summary>Floats per input: rung 0's, as on a fixed target's Info (code written for one keeps compiling with <c>Adaptive = true</c>).</summary>
    public int InputLength => Target.InputLength;
    /// <summary>Calls each rung has served.</summary>
    public long ServedCalls(int rung) => _governor.ServedCalls(rung);

    /// <summary>Before the first call no rung has served: it says which rung the first call will run on instead.</summary>
    public override string ToString()
    {
        bool served = false;
        for (int r = 0; r < Rungs.Count && !served; r++) served = ServedCalls(r) > 0;
        string rung = served
            ? $"rung {ServedRung} of {Rungs.Count} served last ({Served})"
            : $"no call served yet, rung {CurrentRung} of {Rungs.Count} next ({Rungs[CurrentRung]})";
        return $"{Target.Target}: {rung}; budget {LatencyText.Budget(_governor.LatencyBudgetMs)}";
    }
}
