namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// The fixed timing protocol of `ofa profile`: batch 1, <see cref="Threads"/> intra-op threads, models timed by
/// <see cref="RoundRobinTimer"/> (<see cref="Warmup"/> untimed rounds, then <see cref="Repetitions"/> timed rounds);
/// a table entry holds the median (in the "mean" field, as the reference LUT names it) and variance of its runs,
/// scaled to the layer's time inside a network by <see cref="CalibrationSubnets"/> random subnets timed whole
/// (<see cref="LatencyProfiler"/>; 0: no scaling).
/// </summary>
public sealed record ProfileProtocol(int Threads = 1, int Warmup = 10, int Repetitions = 25, int CalibrationSubnets = 50)
{
    // Checked here, for a local and a remote (--ssh) profile alike: a table records its protocol, and a manifest its threads.
    public int Threads { get; init; } = Threads >= 1 ? Threads : throw new OfaException($"--threads {Threads}: ONNX Runtime runs with at least 1 intra-op thread.");
    public int Warmup { get; init; } = Warmup >= 0 ? Warmup : throw new OfaException($"--warmup {Warmup}: give a number of untimed rounds >= 0.");
    public int Repetitions { get; init; } = Repetitions >= 1 ? Repetitions : throw new OfaException($"--repetitions {Repetitions}: give a number of timed rounds >= 1.");
    public int CalibrationSubnets { get; init; } = CalibrationSubnets >= 0 ? CalibrationSubnets : throw new OfaException($"--calibration {CalibrationSubnets}: give a number of subnets >= 0 (0: no scaling).");

    /// <summary>Names the timing schedule in a table's info; tables without it timed each model alone, in one burst of runs.</summary>
    public const string Schedule = "round-robin in network order, each visit runs its sequence twice and times the second pass";

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["protocol"] = $"onnxruntime, batch 1, {Threads} intra-op thread(s), {Warmup} warm-up rounds, median of {Repetitions} timed runs, {Schedule}, scaled by {CalibrationSubnets} calibration subnets",
        ["schedule"] = Schedule,
        ["statistic"] = "median",
        ["calibration_subnets"] = CalibrationSubnets.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
