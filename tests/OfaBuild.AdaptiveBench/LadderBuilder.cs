using OfaBuild.Core.Calibration;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Search;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;
using OfaBuild.Runtime;

namespace OfaBuild.AdaptiveBench;

/// <summary>One exported rung: its ONNX bytes and the target info a build would embed.</summary>
internal sealed record BuiltRung(OfaTargetInfo Info, byte[] Onnx, ManifestConfig Config);

/// <summary>
/// The ladder a build embeds for an adaptive target: `ofa specialize` with Levels (Specializer, the ladder rule
/// in Core's AdaptiveLadder) into a temporary folder, read back from its manifest as the generated wrapper would.
/// </summary>
internal static class LadderBuilder
{
    public static IReadOnlyList<BuiltRung> Build(string supernet, string device, double budgetMs, int levels, Action<string> log)
    {
        var dir = Directory.CreateTempSubdirectory("ofa-adaptive-bench-").FullName;
        try
        {
            var m = Specializer.Run(new SpecializeRequest(supernet, device, budgetMs, dir, Levels: levels), log: log).Manifest;
            var input = new OfaInputInfo { Channels = m.Input.Channels, Resolution = m.Input.Resolution, Mean = m.Input.Mean, Std = m.Input.Std };
            OfaTargetInfo Info(string name, ManifestConfig config, double latencyMs, double? accuracy, long macs, long parameters) => new()
            {
                Target = name,
                ResourceName = $"OfaBuild/AdaptiveBench/{name}.onnx",
                RuntimeIdentifiers = [],
                TableKind = m.TableKind,
                ConfigJson = config.ToJson(),
                LatencyBudgetMs = budgetMs,
                PredictedLatencyMs = latencyMs,
                PredictedAccuracy = accuracy,
                Macs = macs,
                Params = parameters,
                Input = input with { Resolution = config.R },
                Labels = m.Labels,
            };
            var rungs = new List<BuiltRung>
            {
                new(Info(device, m.Config, m.PredictedLatencyMs, m.PredictedAccuracy, m.Macs, m.Params), File.ReadAllBytes(Path.Combine(dir, m.Onnx)), m.Config),
            };
            foreach (var (r, i) in m.Ladder.Select((r, i) => (r, i + 1)))
                rungs.Add(new(Info($"{device}/rung{i}", r.Config, r.PredictedLatencyMs, r.PredictedAccuracy, r.Macs, r.Params),
                    File.ReadAllBytes(Path.Combine(dir, r.Onnx)), r.Config));
            foreach (var (r, i) in rungs.Select((r, i) => (r, i)))
                log($"rung {i}: {r.Config.ToJson()}  predicted {r.Info.PredictedLatencyMs:0.###} ms, top-1 {r.Info.PredictedAccuracy:P2}, {r.Info.Macs / 1e6:0.##} MMACs");
            return rungs;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
