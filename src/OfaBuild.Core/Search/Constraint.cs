using OfaBuild.Contracts;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Search;

/// <summary>
/// An efficiency limit a subnet must meet: <see cref="Measure"/>(config) &lt;= <see cref="Limit"/>.
/// Latency limits carry the table kind and device, so every result can say what its latency is based on, and the
/// table itself (<see cref="Table"/>): its latency is a sum over blocks, which <see cref="KnapsackRefinement"/> uses.
/// </summary>
public sealed record Constraint(string Name, string Unit, double Limit, Func<SubnetConfig, double> Measure,
    LatencyTableKind? TableKind = null, string? Device = null, LatencyPredictor? Table = null)
{
    /// <summary>Predicted latency from a device table (ms).</summary>
    public static Constraint Latency(LatencyPredictor latency, double maxMs) =>
        new("latency", "ms", maxMs, latency.Predict, latency.Kind, latency.Device, latency);

    /// <summary>Multiply-accumulates (the reference's "FLOPs"), from a counter such as the lead's MACs counter, in millions.</summary>
    public static Constraint MFlops(Func<SubnetConfig, double> macs, double maxMFlops) =>
        new("MFLOPs", "M", maxMFlops, c => macs(c) / 1e6);

    /// <summary>Parameter count, in millions.</summary>
    public static Constraint Params(Func<SubnetConfig, double> parameters, double maxMillions) =>
        new("params", "M", maxMillions, c => parameters(c) / 1e6);

    public bool IsLatency => TableKind is not null;

    public string Describe() => Describe(Limit);

    public string Describe(double value) =>
        $"{Name} <= {LatencyText.Given(value)} {Unit}" +
        (TableKind is { } k ? $" on {Device} ({k.Name()} table)" : "");
}

/// <summary>What to search: the space to move in, the accuracy to maximise, and the limits to respect.</summary>
public sealed record SearchProblem(SearchSpace Space, IAccuracyModel Accuracy, IReadOnlyList<Constraint> Constraints);

/// <summary>One evaluated subnet: predicted accuracy and the value of each constraint's measure (same order).</summary>
public sealed record Candidate(SubnetConfig Config, float Accuracy, double[] Measures)
{
    public double Measure(int constraint) => Measures[constraint];
}

/// <summary>The outcome of a search. <see cref="LatencyKind"/> says which kind of latency table the budget used.</summary>
public sealed record SearchResult(
    Candidate Best,
    IReadOnlyList<Constraint> Constraints,
    /// <summary>Best predicted accuracy after each generation (random search: after each batch).</summary>
    IReadOnlyList<float> BestHistory,
    int Evaluations,
    ulong Seed)
{
    public LatencyTableKind? LatencyKind => Constraints.FirstOrDefault(c => c.IsLatency)?.TableKind;
    public double? LatencyMs => Constraints.Select((c, i) => (c, i)).Where(t => t.c.IsLatency).Select(t => (double?)Best.Measures[t.i]).FirstOrDefault();
}
