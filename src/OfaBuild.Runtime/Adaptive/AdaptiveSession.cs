using System.Reflection;
using Microsoft.ML.OnnxRuntime;

namespace OfaBuild.Runtime;

/// <summary>
/// An adaptive target: one <see cref="OfaModelSession"/> per rung of its ladder and the <see cref="LatencyGovernor"/>
/// that picks the rung of each call. Predict reads the rung, runs and times the call on it and feeds the governor.
/// Callers pass rung 0's input; a rung searched at a lower resolution gets it resized (<see cref="ImageInput.Resize"/>,
/// about a microsecond, into a per-thread buffer), so callers never see which rung ran unless they ask.
/// Thread-safe like <see cref="OfaModelSession"/>; create once and keep.
/// </summary>
public sealed class AdaptiveSession : IDisposable
{
    private readonly OfaModelSession[] _rungs;
    private const string RungZerosInput = "rung 0's input"; // callers pass rung 0's input, whichever rung serves
    [ThreadStatic] private static float[]? _resized;

    /// <param name="rungs">Sessions of the ladder, rung 0 first; owned (disposed) by this session. They must share one clock.</param>
    /// <param name="latencyBudgetMs">The budget to keep; null for rung 0's build-time budget.</param>
    public AdaptiveSession(IReadOnlyList<OfaModelSession> rungs, double? latencyBudgetMs = null, GovernorOptions? options = null)
    {
        if (rungs.Count == 0) throw new ArgumentException("An adaptive session needs at least one rung.", nameof(rungs));
        _rungs = [.. rungs];
        var top = _rungs[0];
        foreach (var rung in _rungs.Skip(1))
        {
            if (!SameNormalisation(rung.Info.Input, top.Info.Input) || rung.Info.Input.Resolution > top.Info.Input.Resolution)
                throw new OfaRuntimeException(
                    $"{top.Model}: rung {rung.Info.Target} takes [{rung.Info.Input.Channels}, {rung.Info.Input.Resolution}, {rung.Info.Input.Resolution}] " +
                    $"but rung 0 ({top.Info.Target}) takes [{top.Info.Input.Channels}, {top.Info.Input.Resolution}, {top.Info.Input.Resolution}]; " +
                    "a ladder's rungs must share the supernet's input and normalisation at rung 0's resolution or below: rebuild the ladder from one supernet.");
            if (rung.Info.Labels.Count != top.Info.Labels.Count)
                throw new OfaRuntimeException($"{top.Model}: rung {rung.Info.Target} has {rung.Info.Labels.Count} labels, rung 0 ({top.Info.Target}) {top.Info.Labels.Count}; rebuild the ladder from one supernet.");
            if (rung.Clock != top.Clock)
                throw new ArgumentException($"{top.Model}: rung {rung.Info.Target} times its runs with another clock than rung 0; give every rung the same TimeProvider.", nameof(rungs));
        }
        Governor = new LatencyGovernor(_rungs.Select(r => LadderRung.Of(r.Info)).ToArray(),
            latencyBudgetMs ?? top.Info.LatencyBudgetMs, top.Clock.TimestampFrequency, options);
        Info = new AdaptiveTargetInfo(_rungs.Select(r => r.Info).ToArray(), Governor);
    }

    /// <summary>The ladder (each rung's predicted and measured latency and accuracy) and which rung served.</summary>
    public AdaptiveTargetInfo Info { get; }

    /// <summary>
    /// A ladder over the ONNX files embedded in <paramref name="assembly"/> (one resource per rung); every rung's session
    /// takes the app's <paramref name="appOptions"/> (threads, providers) when given, else <paramref name="sessionOptions"/>.
    /// </summary>
    public static AdaptiveSession FromResources(Assembly assembly, string model, IReadOnlyList<OfaTargetInfo> rungs,
        double? latencyBudgetMs = null, GovernorOptions? options = null, SessionOptions? sessionOptions = null, OfaSessionOptions? appOptions = null) =>
        new(rungs.Select(info => appOptions is null
            ? OfaModelSession.FromResource(assembly, model, info, sessionOptions)
            : OfaModelSession.FromResource(assembly, model, info, appOptions)).ToArray(), latencyBudgetMs, options);

    public LatencyGovernor Governor { get; }
    public int RungCount => _rungs.Length;
    /// <summary>The session of one rung (its Info, MeasuredLatencyMs).</summary>
    public OfaModelSession Rung(int rung) => _rungs[rung];
    /// <summary>Floats per sample: rung 0's input (lower rungs get it resized).</summary>
    public int InputLength => _rungs[0].InputLength;
    /// <summary>Scores per sample (one per label).</summary>
    public int OutputLength => _rungs[0].OutputLength;

    /// <summary>Loads every rung's model now (otherwise each on its first call), so a step down never waits for a load.</summary>
    public void Load()
    {
        foreach (var rung in _rungs) rung.Load();
    }

    /// <summary>Classifies one sample into <paramref name="scores"/> (softmax); returns the label index. Allocates nothing.</summary>
    public int Predict(ReadOnlySpan<float> input, Span<float> scores) => Predict(input, scores, out _);

    /// <summary>As <see cref="Predict(ReadOnlySpan{float}, Span{float})"/>, and tells which rung served the call.</summary>
    public int Predict(ReadOnlySpan<float> input, Span<float> scores, out int rung)
    {
        _rungs[0].CheckInput(input.Length, 1, nameof(input), RungZerosInput);
        _rungs[0].CheckOutput(scores.Length, 1, nameof(scores)); // named as the caller wrote it, and before the governor counts a call
        rung = Governor.Enter();
        var session = _rungs[rung];
        long ticks = session.InputLength == InputLength ? session.RunChecked(input, scores) : session.RunChecked(Resized(input, session), scores);
        Governor.Exit(rung, ticks);
        return OfaScores.SoftmaxInPlace(scores[..OutputLength]);
    }

    /// <summary>
    /// Classifies <paramref name="count"/> samples (rung 0's input each) in one run on one rung: scores (labels per sample)
    /// and label indices. The batch is one call for the governor: its latency is held against the budget.
    /// </summary>
    public void Predict(ReadOnlySpan<float> inputs, int count, Span<float> scores, Span<int> labels, out int rung)
    {
        _rungs[0].CheckCount(count);
        _rungs[0].CheckInput(inputs.Length, count, nameof(inputs), RungZerosInput);
        _rungs[0].CheckLabels(labels.Length, count, nameof(labels));
        _rungs[0].CheckOutput(scores.Length, count, nameof(scores));
        rung = Governor.Enter();
        var session = _rungs[rung];
        long start = session.Clock.GetTimestamp();
        session.RunBatchChecked(session.InputLength == InputLength ? inputs : ResizedBatch(inputs, count, session), count, scores);
        Governor.Exit(rung, session.Clock.GetTimestamp() - start);
        OfaScores.SoftmaxInPlace(scores, count, OutputLength, labels);
    }

    public void Dispose()
    {
        foreach (var rung in _rungs) rung.Dispose();
    }

    private ReadOnlySpan<float> Resized(ReadOnlySpan<float> input, OfaModelSession rung)
    {
        var buffer = _resized is { } b && b.Length >= rung.InputLength ? b : _resized = new float[rung.InputLength];
        var x = _rungs[0].Info.Input;
        ImageInput.Resize(input, x.Channels, x.Resolution, buffer.AsSpan(0, rung.InputLength), rung.Info.Input.Resolution);
        return buffer.AsSpan(0, rung.InputLength);
    }

    private ReadOnlySpan<float> ResizedBatch(ReadOnlySpan<float> inputs, int count, OfaModelSession rung)
    {
        int n = count * rung.InputLength;
        var buffer = _resized is { } b && b.Length >= n ? b : _resized = new float[n];
        var x = _rungs[0].Info.Input;
        for (int i = 0; i < count; i++)
            ImageInput.Resize(inputs.Slice(i * InputLength, InputLength), x.Channels, x.Resolution,
                buffer.AsSpan(i * rung.InputLength, rung.InputLength), rung.Info.Input.Resolution);
        return buffer.AsSpan(0, n);
    }

    private static bool SameNormalisation(OfaInputInfo a, OfaInputInfo b) =>
        a.Name == b.Name && a.OutputName == b.OutputName && a.Channels == b.Channels &&
        a.PixelScale == b.PixelScale && a.Mean.SequenceEqual(b.Mean) && a.Std.SequenceEqual(b.Std);
}
