namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// The fixed timing protocol of `ofa profile`: a session per model with <see cref="Threads"/> intra-op
/// threads, <see cref="Warmup"/> untimed runs, then <see cref="Repetitions"/> timed runs at batch 1;
/// a table entry holds their median (in the "mean" field, as the reference LUT names it) and variance.
/// </summary>
public sealed record ProfileProtocol(int Threads = 1, int Warmup = 10, int Repetitions = 25)
{
    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["protocol"] = $"onnxruntime, batch 1, {Threads} intra-op thread(s), {Warmup} warm-up runs, median of {Repetitions} timed runs",
        ["statistic"] = "median",
        ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
