using System.Text.Json.Nodes;
using OfaBuild.Contracts;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa inspect --model x.ofa [--config FILE] [--device D | --profile P] [--resolution R] [--json]`: the space, the package
/// contents, and for each subnet of FILE (a config, an array of configs, or the reference's net.config) its MACs, params,
/// predicted accuracy and latency. --json prints only one JSON object per subnet, a line each.
/// `ofa inspect --target obj/.../ofa/Class/cortex-a53.json`: a built target (precision, table, subnet).
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var model = CommonOptions.OptionalModel();
        var target = new Option<FileInfo?>("--target") { Description = "A target manifest (TARGET.json, written by `ofa specialize`)." };
        var subnet = new SubnetOptions();
        var device = new Option<string?>("--device") { Description = "Also predict each subnet's latency with this catalog device's table (e.g. note10)." };
        var profile = new Option<FileInfo?>("--profile") { Description = "Also predict each subnet's latency with this measured table from `ofa profile` (a warning when it names a catalog device and was measured on a machine that device is not)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per subnet (config, macs, params, predicted_accuracy, latency_ms), a line each, and nothing else." };
        var command = new Command("inspect", "Print a .ofa package: its search space, contents and provenance, and for subnets their MACs, parameters, predicted accuracy and latency.");
        command.Options.Add(model);
        command.Options.Add(target);
        subnet.AddTo(command);
        foreach (var o in new Option[] { device, profile, json }) command.Options.Add(o);
        command.SetAction(result => CliRunner.Run(() =>
        {
            if (result.GetValue(target) is { } manifestFile) return PrintTarget(CliRunner.ExistingFile(manifestFile));
            var path = CliRunner.ExistingFile(result.GetValue(model) ?? throw new Core.OfaException("Give --model x.ofa (a supernet) or --target TARGET.json (a built target)."));
            var package = OfaPackage.Read(path);
            var m = package.Manifest;
            var space = m.Space;
            var subnets = subnet.ResolveAll(result, space);
            var deviceName = result.GetValue(device);
            var profilePath = result.GetValue(profile) is { } pf ? CliRunner.ExistingFile(pf) : null;
            if (deviceName is not null && profilePath is not null) throw new OfaException("Give --device or --profile, not both.");
            var catalog = DeviceCatalog.Builtin();
            var table = deviceName is null && profilePath is null ? null : catalog.LatencyTable(deviceName ?? "profile", space, profilePath, packagePath: path);
            // A profile is the table of the device it names: a catalog device's must be that device's (the build's OFA0019).
            if (profilePath is not null && TableDevice.Check(table!, profilePath, table!.Device, catalog, space, path, ofTarget: false) is { } warning) CliRunner.Warn(warning);
            var latency = table?.Compile(space, path);
            var predictor = PackagePredictor.Load(package);
            if (result.GetValue(json))
            {
                foreach (var sc in subnets) Console.WriteLine(Describe(space, sc, predictor, latency).ToJsonString());
                return 0;
            }

            Console.WriteLine($"package   {path}");
            Console.WriteLine($"sha256    {OfaPackage.ComputeHash(path)}");
            Console.WriteLine($"format    {m.FormatVersion}");
            Console.WriteLine($"source    {m.Provenance.Source}");
            if (m.Provenance.CommandLine is { } cmd) Console.WriteLine($"command   {cmd}");
            if (m.Provenance.ToolVersion is { } v) Console.WriteLine($"tool      {v}");
            Console.WriteLine();
            PrintSpace(space);
            Console.WriteLine($"input     {space.InputChannels} channel(s), normalised (x/255 - [{Join(m.Normalization.Mean)}]) / [{Join(m.Normalization.Std)}]");
            Console.WriteLine($"labels    {string.Join(", ", m.Labels.Take(12))}{(m.Labels.Count > 12 ? $", ... ({m.Labels.Count})" : "")}");
            Console.WriteLine();
            long total = package.Weights.Items.Sum(t => t.Value.ElementCount);
            Console.WriteLine($"weights   {package.Weights.Count} tensors, {total:N0} parameters and statistics");
            Console.WriteLine(m.Predictor is { } p
                ? p.Source is { } from
                    ? $"predictor {p.Kind} ({p.Encoding}) from {from}"
                    : $"predictor {p.Kind} ({p.Encoding}), RMSE {Fmt(p.Rmse * 100)} points, Spearman {Fmt(p.Spearman)} on {p.TestSamples} held-out subnets"
                : $"predictor none (run {PackagePredictor.MeasureCommand(path)}, or `ofa import --model {ShellWord.Quote(path)} --predictor acc_predictor.pth` for the OFA authors' ImageNet one)");
            if (m.Predictor is { } trained)
                Console.WriteLine(trained.TrainedOn is null
                    ? "          trained on an unknown space (written before predictor.trained_on was recorded: only its encoding is checked)"
                    : "          trained on all of this package's space (predictor.trained_on, checked when the package is read" +
                      (TrainingSpace.Parse(trained.TrainedOn, path).NotRecorded is { Count: > 0 } unknown
                          ? $"; its {string.Join(", ", unknown.SkipLast(1))}{(unknown.Count > 1 ? " and " : "")}{unknown[^1]} not recorded, written before they were)" : ")"));
            if (predictor is not null && space.Resolutions.Where(r => !predictor.Encoder.Scores(r)).ToArray() is { Length: > 0 } unscored)
                Console.WriteLine($"          its training saw resolutions {space.Resolutions.First(predictor.Encoder.Scores)}..{space.Resolutions.Last(predictor.Encoder.Scores)} only, not {string.Join(", ", unscored)}: search, build and report keep to those");
            if (m.Predictor?.Residual is { } res)
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"          residual correction {res.Scheme} on {res.Points} measured subnets (length scale {res.LengthScale}, noise ratio {res.NoiseRatio}, anchors' own term {res.AnchorOwnRatio ?? 0:0.###}); the MLP alone: RMSE {Fmt(res.MlpRmse * 100)} points, Spearman {Fmt(res.MlpSpearman)}"));
            if (m.Predictor is { } measured)
                PrintRefinement(measured);
            Console.WriteLine(m.Calibration is { } c
                ? $"calibration {c.Count} images ({c.Source})"
                : "calibration none");

            var smallest = SubnetConfig.Smallest(space);
            var largest = SubnetConfig.Largest(space);
            Console.WriteLine();
            Console.WriteLine($"smallest  MACs {SubnetCost.Macs(space, smallest),14:N0}  params {SubnetCost.Params(space, smallest),11:N0}  {smallest.ToJson()}");
            Console.WriteLine($"largest   MACs {SubnetCost.Macs(space, largest),14:N0}  params {SubnetCost.Params(space, largest),11:N0}  {largest.ToJson()}");
            foreach (var config in subnets)
            {
                Console.WriteLine($"config    MACs {SubnetCost.Macs(space, config),14:N0}  params {SubnetCost.Params(space, config),11:N0}  {config.ToJson()}");
                if (predictor is not null)
                    Console.WriteLine($"  predicted accuracy {predictor.Predict(config):P2}" +
                        (predictor.Encoder.Scores(config.R) ? "" : $" (r {config.R}: not a resolution the predictor was trained on, so not a prediction; the search leaves it out)"));
                if (latency is not null) Console.WriteLine($"  latency {LatencyText.Ms(latency.Predict(config))} on {latency.Device} ({latency.Kind.Name()} table)");
                foreach (var layer in SubnetCost.Layers(space, config))
                    Console.WriteLine($"  {layer.Name,-20} MACs {layer.Macs,14:N0}  params {layer.Params,11:N0}");
            }
            return 0;
        }));
        return command;
    }

    private static JsonObject Describe(SearchSpace space, SubnetConfig c, AccuracyPredictor? predictor, LatencyPredictor? latency) => new()
    {
        ["config"] = JsonNode.Parse(c.ToJson()),
        ["macs"] = SubnetCost.Macs(space, c),
        ["params"] = SubnetCost.Params(space, c),
        ["predicted_accuracy"] = predictor is null ? null : (double)predictor.Predict(c),
        ["latency_ms"] = latency?.Predict(c),
        ["latency_device"] = latency?.Device,
        ["latency_table"] = latency?.Kind.Name(),
    };

    private static int PrintTarget(string path)
    {
        var t = Contracts.TargetManifest.Load(path);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine($"target    {t.Target} ({path})");
        Console.WriteLine($"precision {t.Precision}");
        Console.WriteLine(string.Create(inv, $"latency   predicted {LatencyText.Ms(t.PredictedLatencyMs)} of {LatencyText.Budget(t.LatencyBudgetMs)}, {t.TableKind} table for {t.TablePrecision}, {(t.TableThreads is int n ? n + " intra-op thread(s)" : "threads not stated")}"));
        Console.WriteLine(t.PredictedAccuracy is double a ? string.Create(inv, $"accuracy  predicted top-1 {a:P2} ({t.AccuracyModel})") : $"accuracy  {t.AccuracyModel}");
        Console.WriteLine($"subnet    MACs {t.Macs:N0}  params {t.Params:N0}  {t.Config.ToJson()}");
        Console.WriteLine($"onnx      {t.Onnx} (sha256 {t.OnnxSha256}), {SpecializeCommand.BatchNorm(t.CalibrationImages)}");
        foreach (var (rung, i) in t.Ladder.Select((rung, i) => (rung, i + 1)))
            Console.WriteLine($"{SpecializeCommand.Rung(rung, i)}  {rung.Config.ToJson()}");
        return 0;
    }

    /// <summary>What the predictor was measured on and learned at which step (`ofa measure --refine-rounds`).</summary>
    private static void PrintRefinement(PredictorInfo p)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (p.Evaluation is { } e) Console.WriteLine($"  measured on {EvaluationImages.Shown(e)}");
        if (p.Refinement is not { } r) return;
        Console.WriteLine(string.Create(inv, $"  random sample: {r.RandomSubnets} subnets ({r.Anchors} anchors): {Core.Refinement.PredictorRefinement.Describe(r.RandomSampleFit)}"));
        foreach (var round in r.Rounds)
        {
            Console.WriteLine(string.Create(inv, $"  round {round.Round}: {round.Picks.Count} picks, {round.NewlyMeasured} newly measured, mean |predicted - measured| {round.MeanAbsErrorPoints:F3} points (noise {round.NoisePoints:F3})") +
                (round.Fit is { } f ? $"; retrained: {Core.Refinement.PredictorRefinement.Describe(f)}" : "; kept"));
            foreach (var pick in round.Picks)
                Console.WriteLine(string.Create(inv, $"    {pick.Device,-12} budget {LatencyText.Budget(pick.BudgetMs),11}  latency {LatencyText.Ms(pick.LatencyMs),11}  predicted {pick.Predicted,7:P2}  measured {pick.Measured,7:P2}  {pick.Config}"));
        }
        Console.WriteLine($"  stopped: {r.Stopped} (at most {r.MaxRounds} rounds)");
    }

    private static void PrintSpace(SearchSpace s)
    {
        Console.WriteLine($"space     {s.Name} (width x{s.WidthMult}), {s.NumClasses} classes, {s.SlotCount} block slots");
        Console.WriteLine($"stem      conv 3x3/{s.FirstConvStride} -> {s.FirstConvWidth}, first block -> {s.FirstBlockWidth}");
        for (int i = 0; i < s.Stages.Count; i++)
        {
            var st = s.Stages[i];
            Console.WriteLine($"stage {i + 1}   width {st.Width,4}, stride {st.Stride}, {st.Activation.ToReference(),-7}{(st.UseSe ? ", SE" : "")}");
        }
        Console.WriteLine($"head      final expand {s.FinalExpandWidth}, feature mix {s.FeatureMixWidth}");
        Console.WriteLine($"choices   kernel {{{Join(s.KernelSizes)}}}, expand {{{Join(s.ExpandRatios)}}}, depth {{{Join(s.Depths)}}}, resolution {{{Join(s.Resolutions)}}}");
        double count = 0;
        int perBlock = s.KernelSizes.Count * s.ExpandRatios.Count;
        foreach (var d in s.Depths) count += Math.Pow(perBlock, d);
        count = Math.Pow(count, s.Stages.Count);
        Console.WriteLine($"subnets   {count:G3} architectures x {s.Resolutions.Count} resolutions");
    }

    private static string Join<T>(IEnumerable<T> xs) => string.Join(", ", xs);
    private static string Fmt(double? x) => x is { } v ? v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "?";
}
