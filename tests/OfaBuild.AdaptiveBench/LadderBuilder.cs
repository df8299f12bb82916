using OfaBuild.Core.Calibration;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Search;
using OfaBuild.Core.Specialization;
using OfaBuild.Core.Space;
using OfaBuild.Runtime;

namespace OfaBuild.AdaptiveBench;

/// <summary>One exported rung: its ONNX bytes and the target info a build would embed.</summary>
internal sealed record BuiltRung(OfaTargetInfo Info, byte[] Onnx, SubnetConfig Config);

/// <summary>
/// The ladder a build would embed for an adaptive target: rung 0 is what `ofa specialize` chooses for the budget
/// (same search, same seed); each further rung is the search's best predicted accuracy under a share of rung 0's
/// predicted latency, at rung 0's resolution or below. Extract, BN recalibration and export as Specializer.
/// </summary>
internal static class LadderBuilder
{
    public static IReadOnlyList<BuiltRung> Build(string supernet, string device, double budgetMs, IReadOnlyList<double> shares, Action<string> log)
    {
        var package = OfaPackage.Read(supernet);
        var space = package.Manifest.Space;
        var target = TargetProblem.Create(package, device, budgetMs);
        var top = EvolutionSearch.Run(target.Problem, new EvolutionOptions()).Best.Config.Canonical(space);
        double topMs = target.Latency.Predict(top);
        // Lower rungs may use a lower resolution (the largest latency lever); AdaptiveSession resizes rung 0's input for them.
        var upToTopResolution = target.Problem with { Space = space with { Resolutions = [.. space.Resolutions.Where(r => r <= top.R)] } };

        var configs = new List<SubnetConfig> { top };
        foreach (double share in shares)
        {
            var problem = upToTopResolution with { Constraints = [Constraint.Latency(target.Latency, share * topMs)] };
            configs.Add(EvolutionSearch.Run(problem, new EvolutionOptions()).Best.Config.Canonical(space));
        }

        var rungs = new List<BuiltRung>();
        var accuracy = new float[configs.Count];
        target.Problem.Accuracy.PredictMany(configs.ToArray(), accuracy);
        for (int i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var subnet = SubnetExtractor.Extract(space, package.Weights, config);
            if (package.Calibration is { } cal)
            {
                var images = cal[OfaPackage.CalibrationImages];
                int n = images.Shape[0];
                var inputs = ImageInput.Prepare(images.Bytes, n, images.Shape[1], images.Shape[2], images.Shape[3], config.R,
                    package.Manifest.Normalization.Mean, package.Manifest.Normalization.Std);
                subnet = BatchNormRecalibration.Recalibrate(subnet, inputs, n);
            }
            var info = new OfaTargetInfo
            {
                Target = i == 0 ? device : $"{device}/rung{i}",
                ResourceName = $"OfaBuild/AdaptiveBench/{device}/rung{i}.onnx",
                RuntimeIdentifiers = [],
                TableKind = target.Latency.Table.Kind.Name(),
                ConfigJson = config.ToJson(),
                LatencyBudgetMs = budgetMs,
                PredictedLatencyMs = Math.Round(target.Latency.Predict(config), 6),
                PredictedAccuracy = Math.Round(accuracy[i], 6),
                Macs = Core.Counting.SubnetCost.Macs(space, config),
                Params = Core.Counting.SubnetCost.Params(space, config),
                Input = new OfaInputInfo
                {
                    Channels = space.InputChannels,
                    Resolution = config.R,
                    Mean = package.Manifest.Normalization.Mean,
                    Std = package.Manifest.Normalization.Std,
                },
                Labels = package.Manifest.Labels,
            };
            rungs.Add(new BuiltRung(info, SubnetOnnxExporter.Export(subnet), config));
            log($"rung {i}: {config.ToJson()}  predicted {info.PredictedLatencyMs:0.###} ms, top-1 {info.PredictedAccuracy:P2}, {info.Macs / 1e6:0.##} MMACs");
        }
        return rungs;
    }
}
