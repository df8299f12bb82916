using System.CommandLine;
using System.Text.Json;
using OfaBuild.Cli.Commands;
using OfaBuild.Core;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Data;
using OfaBuild.Training.Data;
using OfaBuild.Training.Packaging;
using OfaBuild.Training.Shrinking;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// `ofa eval --model M.ofa (--config cfg.json | --largest | --smallest) --dataset fashion-mnist --split test [--json]`:
/// BN recalibrated on training images, then top-1, its progress shown as `ofa train` shows its evaluations (on stderr when
/// redirected, so stdout holds the result). With --json the last line is {"top1": fraction, ...}.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(IImageDecoder decoder)
    {
        var model = CommonOptions.Model();
        var subnet = new SubnetOptions();
        var dataset = new Option<string>("--dataset") { Description = "'fashion-mnist' or a folder with one sub-folder per label.", Required = true };
        var dataDir = CommonOptions.DataDir();
        var split = new Option<string>("--split") { Description = "Split to measure on: holdout (the training images the package records as held out), test, or train.", DefaultValueFactory = _ => "test" };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N images of the split." }.AtLeast(1);
        var calib = new Option<int>("--calibration-images") { Description = "Training images for BN recalibration.", DefaultValueFactory = _ => BnRecalibration.DefaultImages }.AtLeast(1);
        var threads = TorchOptions.Threads(TorchOptions.TrainingThreads, "the default is ofa train's");
        var json = new Option<bool>("--json") { Description = "Print a JSON object as the last line." };
        var command = new Command("eval", "Measure a subnet's top-1 accuracy after BN recalibration.");
        foreach (var o in new Option[] { model, dataset, dataDir, split, limit, calib, threads, json }) command.Options.Add(o);
        subnet.AddTo(command);
        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchOptions.Apply(result, threads);
            var path = CliRunner.ExistingFile(result.GetValue(model)!);
            var package = OfaPackage.Read(path);
            var space = package.Manifest.Space;
            var config = subnet.Resolve(result, space, required: true)!;
            string ds = result.GetValue(dataset)!;
            var splits = DatasetSplits.ForPackage(ImageDecoding.ForPackage(ds, result.GetValue(dataDir), package.Manifest, decoder), package.Manifest.Holdout, path);
            var train = splits.Train;
            var eval = splits.Get(result.GetValue(split)!);
            if (eval.Channels != space.InputChannels)
                throw new OfaException($"'{path}' takes {space.InputChannels} input channel(s); dataset '{ds}' has {eval.Channels}.");
            var (net, norm) = SupernetPackage.Load(package);
            int n = Math.Min(eval.Count, result.GetValue(limit) ?? eval.Count);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            string which = result.GetValue(subnet.Largest) ? "largest subnet" : result.GetValue(subnet.Smallest) ? "smallest subnet"
                : $"subnet of {result.GetValue(subnet.Config)!.Name}";
            double top1 = ProgressDisplay.OnStderr().Evaluate(which, $"{n} {result.GetValue(split)} images of {ds}",
                progress => Evaluation.Top1(net, config, train, eval, norm, n, result.GetValue(calib), progress: progress));
            Console.WriteLine($"top-1 {top1 * 100:F2} % on {n} {result.GetValue(split)} images of {ds} (BN recalibrated on {Math.Min(train.Count, result.GetValue(calib))} training images, {sw.Elapsed.TotalSeconds:F1} s)");
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { top1, images = n, split = result.GetValue(split), dataset = ds, config = new { ks = config.Ks, e = config.E, d = config.D, r = config.R } }));
            return 0;
        }));
        return command;
    }
}
