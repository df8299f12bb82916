using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// Where a model's time goes in ONNX Runtime: the session's own profiler (SessionOptions.EnableProfiling)
/// records each kernel run; this sums them per op type of the optimised graph (QLinearConv, Conv,
/// QuantizeLinear, ...), median over runs.
/// </summary>
public static class OperatorProfile
{
    /// <summary>One op type's share of a run: its median ms per run and how many nodes of it ran.</summary>
    public readonly record struct OpTime(string OpType, double MedianMs, int Nodes);

    /// <summary>Runs <paramref name="model"/> <paramref name="runs"/> times (after <paramref name="warmup"/>) on one input and returns op types by time, largest first.</summary>
    public static IReadOnlyList<OpTime> Measure(byte[] model, long[] inputShape, int runs, int threads = 1, int warmup = 10)
    {
        var prefix = Path.Combine(Path.GetTempPath(), $"ofa-op-profile-{Guid.NewGuid():N}");
        string file;
        using (var options = OnnxModelRunner.ProtocolOptions(threads))
        {
            options.EnableProfiling = true;
            options.ProfileOutputPathPrefix = prefix;
            using var session = new InferenceSession(model, options);
            var data = ModelTimer.Input(inputShape);
            using var input = OrtValue.CreateTensorValueFromMemory(data, inputShape);
            using var run = new RunOptions();
            for (int i = 0; i < warmup + runs; i++)
                using (session.Run(run, [session.InputNames[0]], [input], [session.OutputNames[0]])) { }
            file = session.EndProfiling();
        }
        try
        {
            return Summarise(File.ReadAllText(file), warmup);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Per op type, the median over runs of its summed kernel time; runs are delimited by the profiler's
    /// "model_run" events, the first <paramref name="skipRuns"/> are warm-up.
    /// </summary>
    public static IReadOnlyList<OpTime> Summarise(string profileJson, int skipRuns)
    {
        using var doc = JsonDocument.Parse(profileJson);
        var perRun = new List<Dictionary<string, double>>();
        var nodes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var current = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            string name = e.GetProperty("name").GetString() ?? "";
            string cat = e.TryGetProperty("cat", out var c) ? c.GetString() ?? "" : "";
            if (cat == "Session" && name == "model_run")
            {
                perRun.Add(current);
                current = new(StringComparer.Ordinal);
            }
            else if (cat == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal)
                && e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var op))
            {
                string type = (op.GetString() ?? "?") + (IsDepthwiseConv(name) ? " (depthwise)" : "");
                current[type] = current.GetValueOrDefault(type) + e.GetProperty("dur").GetDouble() / 1000.0;
                if (!nodes.TryGetValue(type, out var set)) nodes[type] = set = new(StringComparer.Ordinal);
                set.Add(name);
            }
        }
        var timed = perRun.Skip(skipRuns).ToList();
        if (timed.Count == 0) throw new OfaException("ONNX Runtime's profile holds no timed run.");
        return nodes.Keys
            .Select(t => new OpTime(t, Median(timed.Select(r => r.GetValueOrDefault(t)).ToArray()), nodes[t].Count))
            .OrderByDescending(o => o.MedianMs)
            .ToArray();
    }

    /// <summary>
    /// Exported subnets name a depthwise conv "*.depth_conv.conv" (OnnxLayerWriter); ORT names the node it fuses
    /// from it "*.depth_conv.conv_token_N" (int8) or "*.depth_conv.act_nchwc" (FP32 conv with its activation).
    /// </summary>
    private static bool IsDepthwiseConv(string kernelEvent) =>
        kernelEvent.Contains(".depth_conv.conv", StringComparison.Ordinal) || kernelEvent.Contains(".depth_conv.act_nchwc", StringComparison.Ordinal);

    private static double Median(double[] v)
    {
        Array.Sort(v);
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}
