using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OfaBuild.Core;
using OfaBuild.Core.Data;
using OfaBuild.Core.IO;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa measure --model x.ofa --dataset fashion-mnist`: measure the top-1 of many subnets (BN recalibrated,
/// ONNX Runtime), train the 3x400 accuracy predictor on them, report its fit on held-out subnets, and store
/// it in the package. No libtorch.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create(IImageDecoder? decoder)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The .ofa supernet package.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "fashion-mnist, or a folder of images (one sub-folder per label, train/ and test/ inside).", Required = true };
        var subnets = new Option<int>("--subnets") { Description = "Subnets to measure.", DefaultValueFactory = _ => 1000 };
        var split = new Option<string?>("--eval-split") { Description = "Split the accuracies are measured on: holdout (default when the package records one) or test." };
        var evalImages = new Option<int>("--eval-images") { Description = "Images of that split to use (the first N).", DefaultValueFactory = _ => 5000 };
        var calibration = new Option<int>("--calibration-images") { Description = "Training images for BN recalibration (the reference uses 2000).", DefaultValueFactory = _ => CalibrationSubset.DefaultImages };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the subnet sample and the predictor training.", DefaultValueFactory = _ => 0UL };
        var threads = new Option<int>("--threads") { Description = "Subnets measured in parallel.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var data = new Option<FileInfo?>("--dataset-file") { Description = "Where to write the measured (config, top-1) pairs; with --reuse, read them instead of measuring." };
        var reuse = new Option<bool>("--reuse") { Description = "Train the predictor on --dataset-file without measuring again." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Package to write (default: update --model in place)." };
        var command = new Command("measure", "Measure subnets' top-1 after BN recalibration, train the accuracy predictor (3x400 MLP) on them, and store it in the package.")
        {
            model, dataset, subnets, split, evalImages, calibration, seed, threads, data, reuse, output,
        };
        command.SetAction((result, cancel) => Task.FromResult(CliRunner.Run(() =>
        {
            var path = CliRunner.ExistingFile(result.GetValue(model)!);
            var package = OfaPackage.Read(path);
            var space = package.Manifest.Space;
            var inv = CultureInfo.InvariantCulture;
            var dataFile = result.GetValue(data)?.FullName ?? Path.ChangeExtension(path, ".measured.json");

            MeasuredSubnets measured;
            if (result.GetValue(reuse))
            {
                measured = MeasuredSubnets.Load(CliRunner.ExistingFile(new FileInfo(dataFile)));
                Console.WriteLine($"read {measured.Subnets.Count} measured subnets from {dataFile}");
            }
            else
            {
                var splits = DatasetSplits.ForPackage(ImageDecoding.ForPackage(result.GetValue(dataset)!, null, package.Manifest, decoder), package.Manifest.Holdout, path);
                var train = splits.Train;
                var calib = train.Subset(CalibrationSubset.Indices(train.Count, result.GetValue(calibration)));
                var heldOut = splits.Get(result.GetValue(split) ?? (splits.Holdout is null ? "test" : "holdout"));
                var eval = heldOut.Subset(Enumerable.Range(0, Math.Min(result.GetValue(evalImages), heldOut.Count)).ToArray());
                var configs = SubnetSampler.Spread(space, result.GetValue(subnets), result.GetValue(seed));
                Console.WriteLine($"measuring {configs.Count} subnets of {space.Name}: BN recalibrated on {calib.Count} training images, top-1 on {eval.Count} images of {heldOut.Source}");

                var measurement = new AccuracyMeasurement(package, calib, eval);
                var top1 = new double[configs.Count];
                var sw = Stopwatch.StartNew();
                ProgressBar.Run("subnets", progress =>
                {
                    int done = 0;
                    Parallel.For(0, configs.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, result.GetValue(threads)), CancellationToken = cancel }, i =>
                    {
                        top1[i] = measurement.Top1(configs[i]);
                        progress.Report((Interlocked.Increment(ref done), configs.Count));
                    });
                    return 0;
                });
                measured = new MeasuredSubnets(Path.GetFileName(path), $"{calib.Count} images of {train.Source} (seed {CalibrationSubset.Seed})",
                    $"first {eval.Count} images of {heldOut.Source}", configs.Select((c, i) => new MeasuredSubnet(c, top1[i])).ToArray());
                AtomicFile.WriteAllBytes(dataFile, System.Text.Encoding.UTF8.GetBytes(measured.ToJson()));
                Console.WriteLine(string.Create(inv, $"measured in {sw.Elapsed.TotalMinutes:F1} min; top-1 {top1.Min():P2} .. {top1.Max():P2}; wrote {dataFile}"));
            }

            var report = AccuracyPredictorTrainer.Train(ArchEncoder.For(space), measured.Subnets.Select(s => (s.Config, s.Top1)).ToArray(),
                new PredictorTrainingOptions { Seed = result.GetValue(seed) });
            Console.WriteLine(string.Create(inv, $"predictor: RMSE {report.HeldOutRmsePoints:F3} points, Spearman {report.HeldOutSpearman:F3} on {report.HeldOutCount} held-out subnets (train RMSE {report.TrainRmsePoints:F3} on {report.TrainCount})"));

            var info = new PredictorInfo
            {
                Kind = "mlp",
                Encoding = ArchEncoder.For(space).Describe(),
                InputSize = ArchEncoder.For(space).Length,
                HiddenSizes = Enumerable.Repeat(report.Predictor.Hidden, report.Predictor.HiddenLayers).ToArray(),
                TrainSamples = report.TrainCount,
                TestSamples = report.HeldOutCount,
                Rmse = report.HeldOutRmsePoints / 100,
                Spearman = report.HeldOutSpearman,
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
