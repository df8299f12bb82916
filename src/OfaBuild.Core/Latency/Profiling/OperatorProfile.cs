using System.Text.Json;
using OfaBuild.Core.Quantization;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// Where a model's time goes in ONNX Runtime: the session's own profiler (SessionOptions.EnableProfiling)
/// records each kernel run; this sums them per op type of the optimised graph (QLinearConv, Conv,
/// QuantizeLinear, ...), median over runs. The profiler's per-node bookkeeping (each node's input and output
/// shapes, memory statistics) falls inside the kernel events it writes, so small ops read high: the same
/// model is timed without the profiler beside it, to say by how much.
/// </summary>
public static class OperatorProfile
{
    /// <summary>One op type's share of a run: its median ms per run and how many nodes of it ran.</summary>
    public readonly record struct OpTime(string OpType, double MedianMs, int Nodes);

    /// <summary>
    /// A profile read per run (medians over the timed runs): the op types by time, largest first; the sum of a run's
    /// kernel events; the profiled run as ORT timed it ("model_run"); and how many kernel events a run holds.
    /// </summary>
    public sealed record Summary(IReadOnlyList<OpTime> Ops, double KernelsMs, double RunMs, int NodesPerRun);

    /// <summary>A profile and the same model's median run without the profiler (timed alternately with the profiled runs).</summary>
    public sealed record Measured(Summary Profile, double UnprofiledMs, int Runs)
    {
        /// <summary>
        /// By how much the kernels' sum exceeds the whole unprofiled run, per node (0 if it does not): at least what
        /// the profiler adds inside each kernel event, as the unprofiled run also holds the executor's time between kernels.
        /// </summary>
        public double ExcessPerNodeMs => Profile.NodesPerRun == 0 ? 0 : Math.Max(0, (Profile.KernelsMs - UnprofiledMs) / Profile.NodesPerRun);
    }

    /// <summary>
    /// Runs <paramref name="model"/> <paramref name="runs"/> times (after <paramref name="warmup"/>) on one input in a
    /// profiled session, alternating with an unprofiled one (same session options), and reads the profile per run.
    /// </summary>
    public static Measured Measure(byte[] model, long[] inputShape, int runs, int threads = 1, int warmup = 10)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"ofa-op-profile-{Guid.NewGuid():N}");
        string file;
        PairedTiming.Result timing;
        using (var plain = new ModelRunner(model, inputShape, threads))
        using (var profiled = new ModelRunner(model, inputShape, threads, prefix))
        {
            timing = PairedTiming.Measure(plain, profiled, runs, warmup);
            file = profiled.EndProfiling();
        }
        try
        {
            return new Measured(Summarise(File.ReadAllText(file), warmup), timing.MedianMsA, runs);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Reads ONNX Runtime's profile per run: runs are delimited by the profiler's "model_run" events (ORT writes one
    /// after each run's kernel events), the first <paramref name="skipRuns"/> are warm-up. Only "*_kernel_time" node
    /// events count (older runtimes also write "_fence_before"/"_fence_after" ones around each kernel).
    /// </summary>
    public static Summary Summarise(string profileJson, int skipRuns)
    {
        using var doc = JsonDocument.Parse(profileJson);
        var perRun = new List<(Dictionary<string, double> Ops, double RunMs, int Kernels)>();
        var nodes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var current = new Dictionary<string, double>(StringComparer.Ordinal);
        int kernels = 0;
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            string name = e.GetProperty("name").GetString() ?? "";
            string cat = e.TryGetProperty("cat", out var c) ? c.GetString() ?? "" : "";
            if (cat == "Session" && name == "model_run")
            {
                perRun.Add((current, Ms(e), kernels));
                (current, kernels) = (new(StringComparer.Ordinal), 0);
            }
            else if (cat == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal)
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
            {
                string type = (op.GetString() ?? "?") + (IsDepthwiseConv(name) ? " (depthwise)" : "");
                current[type] = current.GetValueOrDefault(type) + Ms(e);
                kernels++;
                if (!nodes.TryGetValue(type, out var set)) nodes[type] = set = new(StringComparer.Ordinal);
                set.Add(name);
            }
        }
        var timed = perRun.Skip(skipRuns).ToList();
        if (timed.Count == 0) throw new OfaException("ONNX Runtime's profile holds no timed run.");
        var ops = nodes.Keys
            .Select(t => new OpTime(t, Median(timed.Select(r => r.Ops.GetValueOrDefault(t))), nodes[t].Count))
            .OrderByDescending(o => o.MedianMs)
            .ToArray();
        // The run's total is the median of the runs' sums, not the sum of the op types' medians (those come from different runs).
        return new Summary(ops, Median(timed.Select(r => r.Ops.Values.Sum())), Median(timed.Select(r => r.RunMs)),
            (int)Math.Round(Median(timed.Select(r => (double)r.Kernels))));
    }

    private static double Ms(JsonElement e) => e.GetProperty("dur").GetDouble() / 1000.0;

    /// <summary>
    /// Exported subnets name a depthwise conv "*.depth_conv.conv" (OnnxLayerWriter); ORT names the node it fuses
    /// from it "*.depth_conv.conv_token_N" (int8) or "*.depth_conv.act_nchwc" (FP32 conv with its activation).
    /// </summary>
    private static bool IsDepthwiseConv(string kernelEvent) =>
        kernelEvent.Contains(".depth_conv.conv", StringComparison.Ordinal) || kernelEvent.Contains(".depth_conv.act_nchwc", StringComparison.Ordinal);

    private static double Median(IEnumerable<double> v) => ModelTimer.Timing.Of(v.ToArray()).MedianMs;
}
