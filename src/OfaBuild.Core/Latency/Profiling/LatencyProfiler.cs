using System.Runtime.InteropServices;
using OfaBuild.Contracts;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>Progress of a long profile: <see cref="Done"/> of <see cref="Total"/> rounds (warm-up and timed) done, each timing every model once.</summary>
public readonly record struct ProfileProgress(int Done, int Total, string Key);

/// <summary>
/// Measures a latency table on this machine: every layer shape a subnet of the space can contain, timed as a
/// one-layer model in the order networks run them (<see cref="Chains"/>, timed by <see cref="RoundRobinTimer"/>).
/// Each run pays a fixed per-call cost (session dispatch, output allocation) that a whole network pays once, so an
/// empty model runs at the head of every chain; its median is subtracted from each layer and kept as the table's
/// per-network constant. One-layer models still run faster than the same layers inside a network (on the x64 VM of
/// the README their sum was 17-45 % below whole networks), so <see cref="ProfileProtocol.CalibrationSubnets"/> random
/// subnets (seed <see cref="CalibrationSeed"/>, never the validation's) are timed whole in the same rounds, and each
/// entry is the layer's time in a network as <see cref="NetworkContext"/> fits it on them (info "context_scale" and
/// "context_ms_per_megabyte"). In int8 each layer model and subnet is quantised as an int8 target's subnet is
/// (<see cref="LayerModels.BuildInt8"/>).
/// </summary>
public static class LatencyProfiler
{
    /// <summary>Seed of the calibration subnets; `ofa profile --validate` checks on seed 0's.</summary>
    public const int CalibrationSeed = 1;

    public static LatencyTable Profile(SearchSpace space, string device, ProfileProtocol protocol,
        string precision = Precisions.Fp32, IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default) =>
        ProfileAndValidate(space, device, protocol, 0, precision, progress, cancel).Table;

    /// <summary>
    /// The table, and how well it predicts <paramref name="validate"/> random subnets of the validation's seed (0) timed
    /// whole in the same rounds: the same machine state as the layers, never part of the fit (null when 0).
    /// </summary>
    public static (LatencyTable Table, LatencyValidationResult? Validation) ProfileAndValidate(SearchSpace space, string device, ProfileProtocol protocol,
        int validate, string precision = Precisions.Fp32, IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default)
    {
        var shapes = NetworkShapes.All(space);
        var models = new List<(byte[] Model, long[] InputShape)>(shapes.Count + 1 + protocol.CalibrationSubnets + validate);
        for (int i = 0; i < shapes.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            models.Add(precision == Precisions.Int8 ? LayerModels.BuildInt8(shapes[i], seed: i) : LayerModels.Build(shapes[i], seed: i));
        }
        int empty = models.Count;
        models.Add((EmptyModel(), [1, 1, 1, 1]));
        var calibration = WholeNetworks.Sample(space, protocol.CalibrationSubnets, CalibrationSeed, precision, cancel);
        models.AddRange(calibration.Select(n => (n.Model, n.InputShape)));
        int firstValidation = models.Count;
        var validation = WholeNetworks.Sample(space, validate, LatencyValidation.DefaultSeed, precision, cancel);
        models.AddRange(validation.Select(n => (n.Model, n.InputShape)));

        var index = shapes.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var sequences = Chains(space).Select(c => c.Select(l => index[l]).Prepend(empty).ToArray())
            .Concat(Enumerable.Range(empty + 1, calibration.Count + validation.Count).Select(j => new[] { j })).ToArray();
        var t = RoundRobinTimer.Time(models, sequences, protocol, progress, cancel);

        double overhead = t[empty].MedianMs;
        var alone = shapes.Select((_, i) => Math.Max(0, t[i].MedianMs - overhead)).ToArray();
        var megabytes = shapes.Select((_, i) => models[i].Model.Length / 1e6).ToArray();
        var context = NetworkContext.Fit(calibration.Select((n, j) =>
        {
            var layers = NetworkShapes.Of(space, n.Config).Select(l => index[l]).ToArray();
            return new NetworkContext.Sample(layers.Sum(i => alone[i]), layers.Sum(i => megabytes[i]), t[empty + 1 + j].MedianMs - overhead);
        }).ToArray());
        var entries = shapes.Select((s, i) => new KeyValuePair<string, LatencyEntry>(s.Key,
            new LatencyEntry(t[i].Count, context.LayerMs(alone[i], megabytes[i]), t[i].VarianceMs2 * context.Scale * context.Scale)));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var info = new Dictionary<string, string>(protocol.Describe())
        {
            ["space"] = space.Name,
            ["cpu"] = CpuName(),
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime_identifier"] = RuntimeInformation.RuntimeIdentifier,
            ["call_overhead_ms"] = overhead.ToString("G6", inv),
            ["context_scale"] = context.Scale.ToString("G6", inv),
            ["context_ms_per_megabyte"] = context.MsPerMegabyte.ToString("G6", inv),
            ["tool"] = $"OfaBuild {ToolInfo.Version}",
        };
        var table = new LatencyTable(device, LatencyTableKind.Measured, $"ofa profile ({device})", entries, overhead, info, precision: precision);
        return (table, validate == 0 ? null : new LatencyValidationResult(validation.Select((n, j) =>
            new LatencyCheck(n.Config, table.Predict(space, n.Config), t[firstValidation + j].MedianMs)).ToArray()));
    }

    /// <summary>
    /// Every layer shape of the space in the order a network runs it: per resolution, one deepest network per
    /// (kernel, expand) pair, each block the same. Stem and head shapes appear in every chain of their resolution.
    /// </summary>
    public static IReadOnlyList<LayerShape[]> Chains(SearchSpace space)
    {
        var chains = new List<LayerShape[]>();
        int[] depths = Enumerable.Repeat(space.MaxDepth, space.Stages.Count).ToArray();
        foreach (int r in space.Resolutions)
            foreach (int k in space.KernelSizes)
                foreach (int e in space.ExpandRatios)
                {
                    var config = new SubnetConfig(Enumerable.Repeat(k, space.SlotCount).ToArray(), Enumerable.Repeat(e, space.SlotCount).ToArray(), depths, r);
                    chains.Add(NetworkShapes.Of(space, config).ToArray());
                }
        return chains;
    }

    /// <summary>A model that does nothing (Identity on one float): its run time is the per-call cost.</summary>
    private static byte[] EmptyModel()
    {
        var g = new OnnxGraph("empty");
        string x = g.Input("x", 1, 1, 1, 1);
        g.Output(g.Node("Identity", "identity", [x], "y"), 1, 1, 1, 1);
        return g.ToModel("OfaBuild profile", ToolInfo.Version);
    }

    /// <summary>
    /// The CPU as /proc/cpuinfo names it: x64 kernels give a "model name"; ARM boards often only a "CPU part"
    /// (0xd03 Cortex-A53, 0xd08 A72, 0xd0b A76) and a board "Model" (Raspberry Pi).
    /// </summary>
    private static string CpuName()
    {
        string? model = null, part = null, board = null;
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    string value = line[(line.IndexOf(':') + 1)..].Trim();
                    if (line.StartsWith("model name", StringComparison.Ordinal)) model ??= value;
                    else if (line.StartsWith("CPU part", StringComparison.Ordinal)) part ??= value;
                    else if (line.StartsWith("Model", StringComparison.Ordinal)) board ??= value;
                }
        }
        catch (IOException) { }
        string cpu = model ?? RuntimeInformation.ProcessArchitecture + (part is null ? "" : $" CPU part {part}");
        return cpu + (board is null ? "" : $", {board}") + $" ({Environment.ProcessorCount} logical CPUs)";
    }
}
