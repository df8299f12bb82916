using System.Diagnostics;
using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Data;
using OfaBuild.Core.IO;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Refinement;
using OfaBuild.Core.Search;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa measure --model x.ofa --dataset fashion-mnist [--refine-rounds 3]`: measure the top-1 of many subnets on the
/// held-out images (BN recalibrated, ONNX Runtime), train the 3x400 accuracy predictor on them, optionally refine it
/// where the search looks (<see cref="PredictorRefinement"/>), report its fit, and store it in the package. No libtorch.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create(IImageDecoder? decoder)
    {
        var model = CommonOptions.Model();
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist, or the folder of images the package was trained on (one sub-folder per label, optionally under train/, test/ and val/).", Required = true };
        var subnets = new Option<int>("--subnets") { Description = "Subnets of the random sample (the smallest and largest at each resolution, then uniform ones).", DefaultValueFactory = _ => 1000 }.AtLeast(1);
        var dataDir = CommonOptions.DataDir();
        var split = new Option<string?>("--eval-split") { Description = "Split the accuracies are measured on: holdout (default when the package records one) or test (for reports only)." };
        split.AcceptOnlyFromAmong("holdout", "test"); // never train: the predictor would learn training-image accuracies
        var evalImages = new Option<int>("--eval-images") { Description = "Images of that split to use (the first N).", DefaultValueFactory = _ => 5000 }.AtLeast(1);
        var calibration = new Option<int>("--calibration-images") { Description = "Training images for BN recalibration (the reference uses 2000).", DefaultValueFactory = _ => CalibrationSubset.DefaultImages }.AtLeast(1);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the subnet sample, the predictor training and the refinement's searches.", DefaultValueFactory = _ => 0UL };
        var threads = CommonOptions.MeasuringThreads();
        var data = new Option<FileInfo?>("--dataset-file") { Description = "Where to write the measured (config, top-1, round) rows (default: <model>.measured.json); with --reuse, read them instead of measuring." };
        var reuse = new Option<bool>("--reuse") { Description = "Take the random sample and every subnet already measured from --dataset-file; measure only what it lacks." };
        var rounds = new Option<int>("--refine-rounds") { Description = "Refinement rounds: search at budgets over each device's latency range, measure the picks, retrain; stops early when the picks are predicted within the measurement noise.", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var budgets = new Option<int>("--refine-budgets") { Description = "Budgets per device in each refinement round.", DefaultValueFactory = _ => 4 }.AtLeast(1);
        var devices = new Option<string?>("--refine-devices") { Description = "Comma-separated devices to refine on (default: every catalog device with a latency table for the space)." }.NamesADevice();
        var residual = new Option<bool>("--residual") { Description = "Correct the MLP by its residuals at the measured subnets (kriging over the encoding), so the predictor returns close to a measured subnet's top-1; --residual false keeps the reference's MLP alone.", DefaultValueFactory = _ => true };
        var output = CommonOptions.Output<FileInfo?>("Package to write (default: update --model in place).", required: false);
        var command = new Command("measure", "Measure subnets' top-1 on the held-out images after BN recalibration, train the accuracy predictor (3x400 MLP) on them, optionally refine it where the search looks, and store it in the package.")
        {
            model, dataset, dataDir, subnets, split, evalImages, calibration, seed, threads, data, reuse, rounds, budgets, devices, residual, output,
        };
        command.SetAction((result, cancel) => Task.FromResult(CliRunner.Run(() =>
        {
            var path = CliRunner.ExistingFile(result.GetValue(model)!);
            var package = OfaPackage.Read(path);
            var space = package.Manifest.Space;
            var inv = CultureInfo.InvariantCulture;
            var dataFile = result.GetValue(data)?.FullName ?? Path.ChangeExtension(path, ".measured.json");
            var measurer = new SubnetMeasurer(package, path, ImageDecoding.ForPackage(result.GetValue(dataset)!, result.GetValue(dataDir), package.Manifest, decoder),
                result.GetValue(split), result.GetValue(evalImages), result.GetValue(calibration), result.GetValue(threads), cancel);
            ulong s = result.GetValue(seed);
            // The devices are looked up before anything is measured: an unknown name is refused in seconds, not after the sample.
            int maxRounds = result.GetValue(rounds);
            var ranges = maxRounds > 0 ? DeviceBudgets.Ranges(package.Manifest, CommonOptions.SplitDevices(result.GetValue(devices)), packagePath: path) : [];
            var sw = Stopwatch.StartNew();

            // The cache: with --reuse, everything measured before (any round), on the images the file names.
            var cache = new Dictionary<Core.Space.SubnetConfig, double>();
            MeasuredSubnets? previous = null;
            MeasuredSubnet[] sample;
            if (result.GetValue(reuse))
            {
                previous = MeasuredSubnets.Load(CliRunner.ExistingFile(new FileInfo(dataFile)), space);
                cache = previous.ByConfig(space);
                sample = previous.Subnets.Where(m => m.Round == 0).ToArray();
                Console.WriteLine($"read {previous.Subnets.Count} measured subnets ({sample.Length} of the random sample) from {dataFile}, measured on {previous.Evaluation.Shown()}");
            }
            else
            {
                var configs = SubnetSampler.Spread(space, result.GetValue(subnets), s);
                Console.WriteLine($"measuring {configs.Count} subnets of {space.Name}: BN recalibrated on {measurer.Calibration}, top-1 on {measurer.Evaluation.Shown()}");
                var top1 = measurer.Top1(configs);
                sample = configs.Select((c, i) => new MeasuredSubnet(c, top1[i])).ToArray();
                foreach (var m in sample) cache[m.Config] = m.Top1;
                Console.WriteLine(string.Create(inv, $"measured in {sw.Elapsed.TotalMinutes:F1} min; top-1 {top1.Min():P2} .. {top1.Max():P2}"));
            }
            var evaluation = previous?.Evaluation ?? measurer.Evaluation;
            if (evaluation.NoiseWarning(sample.Select(m => m.Top1).ToArray()) is { } noisy) CliRunner.Warn(noisy);

            var options = new RefinementOptions
            {
                MaxRounds = maxRounds,
                BudgetsPerDevice = result.GetValue(budgets),
                Training = new PredictorTrainingOptions { Seed = s, ResidualCorrection = result.GetValue(residual) },
                Search = EvolutionOptions.Default(s),
            };
            if (options.MaxRounds > 0)
                Console.WriteLine($"refining on {string.Join(", ", ranges.Select(r => string.Create(inv, $"{r.Device} ({LatencyText.Number(r.MinMs)}-{LatencyText.Ms(r.MaxMs)})")))}, {options.BudgetsPerDevice} budgets each, at most {options.MaxRounds} rounds");
            var refined = PredictorRefinement.Run(space, sample, ranges,
                configs => measurer.Top1(configs, cache, previous, dataFile, "the picks"), evaluation.Images, options, Console.WriteLine, previous?.ByConfig(space));

            var measured = new MeasuredSubnets(Path.GetFileName(path), previous?.Calibration ?? measurer.Calibration, evaluation,
                MeasuredSubnets.Merge(refined.Measured, previous, space));
            AtomicFile.WriteAllBytes(dataFile, System.Text.Encoding.UTF8.GetBytes(measured.ToJson()));
            var report = refined.Predictor;
            if (report.Predictor.Residual is { } rc)
                Console.WriteLine(string.Create(inv, $"residual correction on {rc.Count} subnets: length scale {rc.LengthScale}, noise ratio {rc.NoiseRatio}, anchors' own term {rc.AnchorOwnRatio:0.###}, leave-one-out RMSE {PredictorRefinement.Text(report.ResidualLooRmsePoints)} points; the MLP alone: held-out RMSE {PredictorRefinement.Text(report.Mlp.HeldOutRmsePoints)} points, Spearman {PredictorRefinement.Text(report.Mlp.HeldOutSpearman)}"));
            Console.WriteLine($"predictor: {PredictorRefinement.Describe(PredictorRefinement.Fit(report))}" +
                string.Create(inv, $", train RMSE {report.TrainRmsePoints:F3}; {sw.Elapsed.TotalMinutes:F1} min in all; wrote {dataFile}"));

            var info = PredictorInfo.Mlp(report.Predictor, space) with
            {
                TrainSamples = report.TrainCount,
                TestSamples = report.HeldOutCount,
                Rmse = PredictorRefinement.Finite(report.HeldOutRmsePoints / 100),
                Spearman = PredictorRefinement.Finite(report.HeldOutSpearman),
                Evaluation = evaluation.ToString(),
                Refinement = options.MaxRounds > 0 ? refined.Record : null,
                Residual = report.Predictor.Residual is { } r ? new ResidualInfo
                {
                    Scheme = ResidualCorrection.Scheme,
                    Points = r.Count,
                    LengthScale = r.LengthScale,
                    NoiseRatio = r.NoiseRatio,
                    AnchorOwnRatio = r.AnchorOwnRatio > 0 ? r.AnchorOwnRatio : null,
                    LooRmsePoints = report.ResidualLooRmsePoints,
                    MlpRmse = PredictorRefinement.Finite(report.Mlp.HeldOutRmsePoints / 100),
                    MlpSpearman = PredictorRefinement.Finite(report.Mlp.HeldOutSpearman),
                } : null,
            };
            var updated = new OfaPackage(package.Manifest with { Predictor = info }, package.Weights, report.Predictor.ToTensors(), package.Calibration);
            var target = result.GetValue(output)?.FullName ?? path;
            updated.Write(target);
            Console.WriteLine($"wrote {target} with the accuracy predictor");
            return 0;
        })));
        return command;
    }
}
