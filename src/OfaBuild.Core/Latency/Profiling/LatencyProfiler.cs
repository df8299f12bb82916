using System.Runtime.InteropServices;
using OfaBuild.Contracts;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>Progress of a long profile: <see cref="Done"/> of <see cref="Total"/> layer shapes timed.</summary>
public readonly record struct ProfileProgress(int Done, int Total, string Key);

/// <summary>
/// Measures a latency table on this machine: every layer shape a subnet of the space can contain,
/// timed as a one-layer model. Each run pays a fixed per-call cost (session dispatch, output
/// allocation) that a whole network pays once, so it is measured on an empty model, subtracted
/// from each layer and kept as the table's per-network constant. In int8 each layer model is quantised as an int8
/// target's subnet is (<see cref="LayerModels.BuildInt8"/>).
/// </summary>
public static class LatencyProfiler
{
    public static LatencyTable Profile(SearchSpace space, string device, ProfileProtocol protocol,
        string precision = Precisions.Fp32, IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default)
    {
        var shapes = NetworkShapes.All(space);
        double overhead = CallOverhead(protocol);
        var entries = new List<KeyValuePair<string, LatencyEntry>>(shapes.Count);
        for (int i = 0; i < shapes.Count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            var (model, shape) = precision == Precisions.Int8 ? LayerModels.BuildInt8(shapes[i], seed: i) : LayerModels.Build(shapes[i], seed: i);
            var t = ModelTimer.Time(model, shape, protocol);
            entries.Add(new(shapes[i].Key, new LatencyEntry(t.Count, Math.Max(0, t.MedianMs - overhead), t.VarianceMs2)));
            progress?.Report(new ProfileProgress(i + 1, shapes.Count, shapes[i].Key));
        }
        var info = new Dictionary<string, string>(protocol.Describe())
        {
            ["space"] = space.Name,
            ["cpu"] = CpuName(),
            ["os"] = RuntimeInformation.OSDescription,
            ["runtime_identifier"] = RuntimeInformation.RuntimeIdentifier,
            ["call_overhead_ms"] = overhead.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
            ["tool"] = $"OfaBuild {ToolInfo.Version}",
        };
        return new LatencyTable(device, LatencyTableKind.Measured, $"ofa profile ({device})", entries, overhead, info, precision: precision);
    }

    /// <summary>Median time of one Run of a model that does nothing (Identity on one float).</summary>
    public static double CallOverhead(ProfileProtocol protocol)
    {
        var g = new OnnxGraph("empty");
        string x = g.Input("x", 1, 1, 1, 1);
        g.Output(g.Node("Identity", "identity", [x], "y"), 1, 1, 1, 1);
        return ModelTimer.Time(g.ToModel("OfaBuild profile", ToolInfo.Version), [1, 1, 1, 1], protocol with { Repetitions = Math.Max(protocol.Repetitions, 101) }).MedianMs;
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
