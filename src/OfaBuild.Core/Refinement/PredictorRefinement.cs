using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Search;

namespace OfaBuild.Core.Refinement;

/// <summary>Settings of the refinement loop: rounds, budgets per device, and how the predictor is trained and searched.</summary>
public sealed record RefinementOptions
{
    public int MaxRounds { get; init; } = 3;
    public int BudgetsPerDevice { get; init; } = 4;
    /// <summary>The reference's MLP and its settings by default.</summary>
    public PredictorTrainingOptions Training { get; init; } = new();
    /// <summary>The search the build runs (evolution, then the ends of the space and refinement), so the loop looks where builds will.</summary>
    public EvolutionOptions Search { get; init; } = EvolutionOptions.Default(0);
}

/// <summary>The final predictor, every measured subnet (tagged with its round) and the record for the manifest.</summary>
public sealed record RefinementResult(PredictorTrainingReport Predictor, IReadOnlyList<MeasuredSubnet> Measured, PredictorRefinementInfo Record);

/// <summary>
/// Refines the accuracy predictor where the search looks. The random sample teaches it the space on average, but
/// the search only ever asks about the best subnets within a budget, where a predictor trained on random subnets
/// errs most (it under-predicted the top of the default supernet's space by 1.3 points). Each round searches with
/// the current predictor at budgets over every device's latency range, measures the picks not measured yet, and
/// retrains on everything; it stops when the picks are predicted within the measurement noise, when the search
/// picks nothing new, or after the last round. A pure function of its inputs, given a deterministic measurement.
/// </summary>
public static class PredictorRefinement
{
    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>
    /// Trains the predictor on measured subnets. The anchors (smallest and largest at each resolution) and the
    /// refinement picks are always trained on; the held-out fit is on random subnets of round 0 only.
    /// </summary>
    public static PredictorTrainingReport Train(SearchSpace space, IReadOnlyList<MeasuredSubnet> data, PredictorTrainingOptions options)
    {
        var anchors = SubnetSampler.Anchors(space).ToHashSet();
        bool IsAnchor(int i) => anchors.Contains(data[i].Config.Canonical(space));
        return AccuracyPredictorTrainer.Train(ArchEncoder.For(space), data.Select(s => (s.Config, s.Top1)).ToArray(), options,
            alwaysTrain: i => data[i].Round > 0 || IsAnchor(i), anchors: IsAnchor);
    }

    /// <summary>The predictor the reference trains: the MLP alone, on the random sample (round 0) alone.</summary>
    public static PredictorTrainingReport TrainOnRandomSample(SearchSpace space, IReadOnlyList<MeasuredSubnet> data, PredictorTrainingOptions options) =>
        Train(space, data.Where(s => s.Round == 0).ToArray(), options with { ResidualCorrection = false });

    public static PredictorFit Fit(PredictorTrainingReport r) =>
        new() { TrainSamples = r.TrainCount, TestSamples = r.HeldOutCount, RmsePoints = Finite(r.HeldOutRmsePoints), Spearman = Finite(r.HeldOutSpearman) };

    /// <summary>A metric, or null where it is undefined (fewer than 2 held-out subnets): JSON has no NaN.</summary>
    public static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>"0.239 points, Spearman 0.915 on 199 held-out random subnets (trained on 801)", with "n/a" where undefined.</summary>
    public static string Describe(PredictorFit f) => string.Create(Inv,
        $"RMSE {Text(f.RmsePoints)} points, Spearman {Text(f.Spearman)} on {f.TestSamples} held-out random subnets (trained on {f.TrainSamples})");

    /// <summary>A metric as <see cref="Describe"/> prints it: three decimals, or "n/a" where undefined (null or NaN).</summary>
    public static string Text(double? x) => x is { } v && double.IsFinite(v) ? v.ToString("F3", Inv) : "n/a";

    /// <param name="sample">The measured random sample (round 0).</param>
    /// <param name="devices">Where to search (<see cref="DeviceBudgets.Ranges"/>).</param>
    /// <param name="measure">Top-1 (fraction) of each config, on <paramref name="evaluationImages"/> held-out images.</param>
    /// <param name="measuredBefore">
    /// Top-1 of canonical configs measured by an earlier run (`ofa measure --reuse`: its file's picks of any round): a pick found
    /// here is added to the data without <paramref name="measure"/>, and is not counted as measured for the first time.
    /// </param>
    public static RefinementResult Run(SearchSpace space, IReadOnlyList<MeasuredSubnet> sample, IReadOnlyList<DeviceRange> devices,
        Func<IReadOnlyList<SubnetConfig>, IReadOnlyList<double>> measure, int evaluationImages, RefinementOptions options,
        Action<string>? log = null, IReadOnlyDictionary<SubnetConfig, double>? measuredBefore = null)
    {
        if (options.MaxRounds < 0) throw new OfaException($"--refine-rounds {options.MaxRounds}: give 0 or more rounds.");
        if (options.MaxRounds > 0 && devices.Count == 0)
            throw new OfaException($"No device to refine the predictor on: no catalog device has a latency table for space '{space.Name}'; name one with a table.");
        var data = sample.Select(s => s with { Config = s.Config.Canonical(space), Round = 0 }).ToList();
        var known = new Dictionary<SubnetConfig, double>();
        foreach (var s in data) known[s.Config] = s.Top1;

        var report = Train(space, data, options.Training);
        var randomFit = Fit(report);
        log?.Invoke($"random sample: {data.Count} subnets; predictor {Describe(randomFit)}");
        var rounds = new List<RefinementRound>();
        string stopped = "max-rounds";
        for (int round = 1; round <= options.MaxRounds; round++)
        {
            var picks = Picks(devices, report.Predictor, options);
            // New to the data: what retraining learns from (none new and no agreement: stuck). Of those, what no run measured yet.
            var fresh = picks.Select(p => p.Config).Where(c => !known.ContainsKey(c)).Distinct().ToArray();
            var unmeasured = fresh.Where(c => measuredBefore?.ContainsKey(c) != true).ToArray();
            var top1 = unmeasured.Length > 0 ? measure(unmeasured) : [];
            for (int i = 0; i < unmeasured.Length; i++) known[unmeasured[i]] = top1[i];
            foreach (var c in fresh)
            {
                if (!known.ContainsKey(c)) known[c] = measuredBefore![c];
                data.Add(new MeasuredSubnet(c, known[c], round));
            }
            var recorded = picks.Select(p => new RefinementPick(p.Device, p.BudgetMs, p.LatencyMs, p.Config.ToJson(), p.Predicted, known[p.Config])).ToArray();
            double mae = recorded.Average(p => Math.Abs(p.Predicted - p.Measured)) * 100;
            double noise = EvaluationImages.StandardErrorPoints(recorded.Average(p => p.Measured), evaluationImages);
            bool agreed = mae <= noise;
            bool stuck = !agreed && fresh.Length == 0;
            PredictorFit? fit = null;
            if (!agreed && !stuck)
            {
                report = Train(space, data, options.Training);
                fit = Fit(report);
            }
            rounds.Add(new RefinementRound { Round = round, Picks = recorded, NewlyMeasured = unmeasured.Length, MeanAbsErrorPoints = mae, NoisePoints = noise, Fit = fit });
            string reused = fresh.Length > unmeasured.Length ? string.Create(Inv, $", {fresh.Length - unmeasured.Length} new to the predictor from the measured file") : "";
            log?.Invoke(string.Create(Inv, $"round {round}: {recorded.Length} picks on {devices.Count} devices, {unmeasured.Length} measured for the first time{reused}; ") +
                string.Create(Inv, $"mean |predicted - measured| {mae:F3} points (noise {noise:F3})") +
                (fit is { } f ? $"; retrained: {Describe(f)}" : ""));
            if (agreed) { stopped = "agreement"; break; }
            if (stuck) { stopped = "no-new-picks"; break; }
        }
        if (options.MaxRounds == 0) stopped = "no-rounds";
        var record = new PredictorRefinementInfo
        {
            RandomSubnets = sample.Count,
            Anchors = SubnetSampler.Anchors(space).Count(known.ContainsKey),
            RandomSampleFit = randomFit,
            EvaluationImages = evaluationImages,
            MaxRounds = options.MaxRounds,
            Rounds = rounds,
            Stopped = stopped,
        };
        return new RefinementResult(report, data, record);
    }

    private sealed record Pick(string Device, double BudgetMs, double LatencyMs, SubnetConfig Config, double Predicted);

    /// <summary>What the search chooses with <paramref name="predictor"/> at each device's budgets (the build's search and seed).</summary>
    private static List<Pick> Picks(IReadOnlyList<DeviceRange> devices, IAccuracyModel predictor, RefinementOptions options)
    {
        var picks = new List<Pick>();
        foreach (var d in devices)
            foreach (var budget in d.Budgets(options.BudgetsPerDevice))
            {
                var found = EvolutionSearch.Run(d.At(budget, predictor), options.Search);
                picks.Add(new Pick(d.Device, budget, found.LatencyMs ?? double.NaN, found.Best.Config.Canonical(d.Target.Problem.Space), found.Best.Accuracy));
            }
        return picks;
    }
}
