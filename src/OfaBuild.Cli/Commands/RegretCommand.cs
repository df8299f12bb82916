using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OfaBuild.Contracts;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Data;
using OfaBuild.Core.IO;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Refinement;
using OfaBuild.Core.Search;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa regret --model x.ofa --dataset fashion-mnist --devices x64-avx2,cortex-a53 --budgets 8`: how much accuracy the
/// search gives away. For budgets over each device's latency range: the subnet `ofa search` chooses, the best subnet
/// known within the budget (the most accurate on the held-out images in the measured file), both measured on the test
/// split (cached), and the regret between them; once with the package's predictor and once with the reference's
/// predictor trained on the random sample alone, so a refinement's gain shows.
/// </summary>
internal static class RegretCommand
{
    public static Command Create(IImageDecoder? decoder)
    {
        var model = CommonOptions.Model("The .ofa supernet package, with its predictor.");
        var dataset = new Option<string>("--dataset") { Description = "The dataset the package was trained on (fashion-mnist, or its image folder); its test split is measured.", Required = true };
        var dataDir = CommonOptions.DataDir();
        var devices = new Option<string?>("--devices") { Description = "Comma-separated devices.", DefaultValueFactory = _ => "x64-avx2,cortex-a53" }.NamesADevice();
        var budgets = new Option<int>("--budgets") { Description = "Budgets per device, spread over its latency range.", DefaultValueFactory = _ => 8 }.AtLeast(1);
        var measuredFile = new Option<FileInfo?>("--measured") { Description = "The held-out measurements `ofa measure` wrote (default: <model>.measured.json): the best known subnets, and the random sample of the reference's predictor." };
        var testFile = new Option<FileInfo?>("--test-file") { Description = "Cache of test-split top-1 (default: <model>.test.json); what is in it is not measured again. It must have been measured with the same --eval-images and --calibration-images." };
        var evalImages = new Option<int>("--eval-images") { Description = "Test images (the first N).", DefaultValueFactory = _ => 10_000 }.AtLeast(1);
        var calibration = new Option<int>("--calibration-images") { Description = "Training images for BN recalibration.", DefaultValueFactory = _ => CalibrationSubset.DefaultImages }.AtLeast(1);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the search and of the random-sample predictor (the one given to `ofa measure`).", DefaultValueFactory = _ => 0UL };
        var threads = CommonOptions.MeasuringThreads();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of Markdown tables." };
        var command = new Command("regret", "Regret of the search on the test split: best known subnet within each budget minus the chosen one, for the package's predictor and for the random-sample predictor.")
        {
            model, dataset, dataDir, devices, budgets, measuredFile, testFile, evalImages, calibration, seed, threads, json,
        };
        command.SetAction((result, cancel) => Task.FromResult(CliRunner.Run(() =>
        {
            var path = CliRunner.ExistingFile(result.GetValue(model)!);
            var package = OfaPackage.Read(path);
            var space = package.Manifest.Space;
            var predictor = PackagePredictor.Load(package)
                ?? throw new OfaException($"{path} has no accuracy predictor; run `ofa measure --model {path} --dataset ...` first.");
            var measuredPath = CliRunner.ExistingFile(result.GetValue(measuredFile) ?? new FileInfo(Path.ChangeExtension(path, ".measured.json")));
            var measured = MeasuredSubnets.Load(measuredPath, space);
            if (measured.Evaluation.Split != "holdout")
                Console.Error.WriteLine($"note: {measuredPath} was measured on {measured.Evaluation.Shown()}, not on held-out images: the best known subnets are then chosen on the test split they are judged on.");
            ulong s = result.GetValue(seed);
            var plain = PredictorRefinement.TrainOnRandomSample(space, measured.Subnets, new PredictorTrainingOptions { Seed = s }).Predictor;

            var testPath = result.GetValue(testFile)?.FullName ?? Path.ChangeExtension(path, ".test.json");
            var measurer = new SubnetMeasurer(package, path, ImageDecoding.ForPackage(result.GetValue(dataset)!, result.GetValue(dataDir), package.Manifest, decoder),
                "test", result.GetValue(evalImages), result.GetValue(calibration), result.GetValue(threads), cancel);
            var cached = File.Exists(testPath) ? MeasuredSubnets.Load(testPath, space) : null;
            // The figures are the cache's: it must hold the images and recalibration this run asks for, even when it lacks nothing.
            if (cached is not null) measurer.RequireMeasuredAlike(cached, testPath);
            var cache = cached?.ByConfig(space) ?? new Dictionary<SubnetConfig, double>();

            var search = EvolutionOptions.Default(s); // what `ofa search` and the build run
            var ranges = DeviceBudgets.Ranges(package.Manifest, CommonOptions.SplitDevices(result.GetValue(devices)), packagePath: path);
            var plan = new List<(string Table, DeviceRange Range, double Budget, Candidate Chosen, (MeasuredSubnet Subnet, double LatencyMs) Best)>();
            foreach (var (table, model_) in new[] { ("package", (IAccuracyModel)predictor), ("random-sample", plain) })
                foreach (var range in ranges)
                    foreach (var budget in range.Budgets(result.GetValue(budgets)))
                    {
                        var found = EvolutionSearch.Run(range.At(budget, model_), search);
                        var best = Regret.BestKnown(measured.Subnets, c => range.Target.Problem.Space.Resolutions.Contains(c.R) ? range.Target.Latency.Predict(c) : null, budget)
                            ?? throw new OfaException($"{measuredPath} holds no subnet within {LatencyText.Budget(budget)} on {range.Device}; measure more subnets (`ofa measure --subnets N`).");
                        plan.Add((table, range, budget, found.Best with { Config = found.Best.Config.Canonical(space) }, best));
                    }

            var configs = plan.SelectMany(p => new[] { p.Chosen.Config, p.Best.Subnet.Config.Canonical(space) }).Distinct().ToArray();
            int before = cache.Count;
            measurer.Top1(configs, cache, cached, testPath, "the subnets on the test split");
            if (cache.Count > before)
            {
                var all = cache.Select(kv => new MeasuredSubnet(kv.Key, kv.Value)).ToArray();
                var file = new MeasuredSubnets(Path.GetFileName(path), cached?.Calibration ?? measurer.Calibration, cached?.Evaluation ?? measurer.Evaluation, all);
                AtomicFile.WriteAllBytes(testPath, Encoding.UTF8.GetBytes(file.ToJson()));
            }

            var rows = plan.Select(p => (p.Table, Row: new RegretRow(p.Range.Device, p.Budget,
                p.Chosen.Config, p.Chosen.Measures[0], p.Chosen.Accuracy, cache[p.Chosen.Config],
                p.Best.Subnet.Config.Canonical(space), p.Best.LatencyMs, p.Best.Subnet.Top1, cache[p.Best.Subnet.Config.Canonical(space)]))).ToArray();
            var largest = SubnetConfig.Largest(space);
            var largestHeldOut = measured.ByConfig(space).TryGetValue(largest, out var lh) ? lh : (double?)null;
            var largestPredicted = (double)predictor.Predict(largest);

            if (result.GetValue(json))
            {
                var tables = new JsonObject();
                foreach (var g in rows.GroupBy(r => r.Table))
                {
                    var (max, mean) = Regret.Summary(g.Select(r => r.Row).ToArray());
                    tables[g.Key] = new JsonObject
                    {
                        ["max_regret_points"] = max,
                        ["mean_regret_points"] = mean,
                        ["rows"] = new JsonArray(g.Select(r => (JsonNode)RowJson(space, r.Row)).ToArray()),
                    };
                }
                Console.WriteLine(new JsonObject
                {
                    ["model"] = path,
                    ["held_out"] = measured.Evaluation.ToString(),
                    ["test"] = (cached?.Evaluation ?? measurer.Evaluation).ToString(),
                    ["largest"] = new JsonObject { ["predicted"] = largestPredicted, ["held_out"] = largestHeldOut },
                    ["tables"] = tables,
                }.ToJsonString());
                return 0;
            }
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv, $"Best known: most accurate of the {measured.Subnets.Count} subnets measured on {measured.Evaluation.Shown()}. Top-1 and regret on {(cached?.Evaluation ?? measurer.Evaluation).Shown()}."));
            Console.WriteLine(string.Create(inv, $"Largest subnet: predicted {largestPredicted:P2}, held-out {(largestHeldOut is { } v ? v.ToString("P2", inv) : "not measured")}."));
            foreach (var g in rows.GroupBy(r => r.Table))
            {
                var (max, mean) = Regret.Summary(g.Select(r => r.Row).ToArray());
                Console.WriteLine();
                Console.WriteLine(g.Key == "package" ? "Predictor of the package:" : "Predictor trained on the random sample only (the reference's):");
                Console.WriteLine();
                Console.WriteLine("| device | budget | chosen | predicted | chosen top-1 | best known | best known top-1 | regret |");
                Console.WriteLine("|---|---|---|---|---|---|---|---|");
                foreach (var (_, r) in g)
                    Console.WriteLine(string.Create(inv,
                        $"| {r.Device} | {LatencyText.Budget(r.BudgetMs)} | {Short(space, r.Chosen)}, {LatencyText.Ms(r.ChosenLatencyMs)} | {r.Predicted:P2} | {r.ChosenTest:P2} | {Short(space, r.BestKnown)}, {LatencyText.Ms(r.BestKnownLatencyMs)} | {r.BestKnownTest:P2} | {r.RegretPoints:F2} |"));
                Console.WriteLine();
                Console.WriteLine(string.Create(inv, $"Regret: at most {max:F2} points, mean {mean:F2}."));
            }
            return 0;
        })));
        return command;
    }

    /// <summary>A subnet in a table cell: resolution, depths and MACs (the full config is in --json).</summary>
    private static string Short(SearchSpace space, SubnetConfig c) =>
        string.Create(CultureInfo.InvariantCulture, $"r{c.R} d{string.Concat(c.D)} {SubnetCost.Macs(space, c) / 1e6:0.00}M MACs");

    private static JsonObject RowJson(SearchSpace space, RegretRow r) => new()
    {
        ["device"] = r.Device,
        ["budget_ms"] = r.BudgetMs,
        ["chosen"] = JsonNode.Parse(r.Chosen.ToJson()),
        ["chosen_latency_ms"] = r.ChosenLatencyMs,
        ["chosen_macs"] = SubnetCost.Macs(space, r.Chosen),
        ["predicted"] = r.Predicted,
        ["chosen_test"] = r.ChosenTest,
        ["best_known"] = JsonNode.Parse(r.BestKnown.ToJson()),
        ["best_known_latency_ms"] = r.BestKnownLatencyMs,
        ["best_known_held_out"] = r.BestKnownHeldOut,
        ["best_known_test"] = r.BestKnownTest,
        ["regret_points"] = r.RegretPoints,
    };
}
