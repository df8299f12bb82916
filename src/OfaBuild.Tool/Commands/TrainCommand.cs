using System.CommandLine;
using System.Globalization;
using OfaBuild.Cli.Commands;
using OfaBuild.Contracts;
using OfaBuild.Core;
using OfaBuild.Core.Space;
using OfaBuild.Core.Data;
using OfaBuild.Core.Packaging;
using OfaBuild.Training.Data;
using OfaBuild.Training.Packaging;
using OfaBuild.Training.Shrinking;
using Spectre.Console;

namespace OfaBuild.Tool.Commands;

/// <summary>
/// `ofa train --dataset fashion-mnist --space mbv3-fmnist -o supernet.ofa [--resume]`: progressive shrinking
/// with a live display (plain log lines when output is redirected), a log file beside the output, a checkpoint
/// after every epoch, and the .ofa package (weights, calibration images) at the end.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(IImageDecoder decoder)
    {
        var dataset = new Option<string>("--dataset") { Description = "'fashion-mnist' or a folder with one sub-folder per label (JPEG, PNG, BMP, WebP, GIF, PGM/PPM; any size, grey or colour), optionally under train/, test/ and val/.", Required = true };
        var dataDir = CommonOptions.DataDir();
        var space = new Option<string?>("--space") { Description = $"{CommonOptions.SpaceHelp} (default {Presets.MobileNetV3W10} for image folders trained at 96 px and more, else {Presets.FashionMnist}); its input channels follow the images." };
        var resolutions = new Option<string?>("--resolutions") { Description = "Elastic resolutions of an image folder: 96-160 (step 4), 96-160:16 or 96,128,160 (default: from the images' median shorter side, at most 160, down to 0.6 of it)." };
        var holdout = new Option<string?>("--holdout") { Description = $"Training images kept out of training for the phase evaluations and `ofa measure`: a count (10000), a fraction (0.1) or 10%; 0 for none. Default {HoldoutSplit.FashionMnistImages} for Fashion-MNIST, none for a folder; a val/ folder beside train/ is the hold-out." };
        var fromScratch = PhasePlan.DefaultSchedules(transfer: false);
        var transfer = PhasePlan.DefaultSchedules(transfer: true);
        var shrinkingEpochs = PhasePlan.Names.Where(n => n != "full").Select(n => transfer[n].Epochs).Distinct().ToList();
        var from = new Option<FileInfo?>("--from") { Description = $"Transfer: start from this supernet (.ofa, imported or trained), with a new classifier for the dataset's labels and a short schedule ({transfer["full"].Epochs} full-net epochs, {(shrinkingEpochs.Count == 1 ? $"{shrinkingEpochs[0]} per shrinking phase" : "a few per shrinking phase")}; --epochs-* still apply)." };
        var classes = CommonOptions.Classes("Number of classes (default: the dataset's).");
        var output = CommonOptions.Output<FileInfo>("The .ofa package to write.");
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Training checkpoint, written after every epoch (default: OUTPUT.ckpt); removed once the package is written, unless --keep-checkpoint." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint (at most the current epoch is lost); with none, start from scratch, unless OUTPUT exists (a finished run: refused)." };
        var keepCheckpoint = new Option<bool>("--keep-checkpoint") { Description = "Keep the checkpoint after the package is written, to continue the last phase later (the same command with a larger --epochs-X of it and --resume)." };
        var threads = TorchOptions.Threads(TorchOptions.TrainingThreads, $"the default phase schedules are sized and timed for {TorchOptions.TrainingThreads}");
        var seed = new Option<int>("--seed") { Description = "Seed of shuffling, augmentation and subnet sampling.", DefaultValueFactory = _ => 0 };
        var evalImages = new Option<int>("--eval-images") { Description = "Hold-out images (else test) used for the evaluation after each phase.", DefaultValueFactory = _ => TrainingOptions.DefaultEvalImages }.AtLeast(1);
        var calibration = new Option<int>("--calibration-images") { Description = "Training images stored in the package for BN recalibration.", DefaultValueFactory = _ => PackageCalibration.DefaultImages }.AtLeast(1);
        var batch = new Option<int?>("--batch") { Description = $"Batch size of every phase (default {PhasePlan.DefaultBatchSize})." };
        var fixedConfig = new Option<FileInfo?>("--fixed") { Description = "Train only this subnet (config JSON, or the reference's net.config) from scratch as a plain network, with the full phase's schedule (--epochs-full, --lr-full, --warmup-full): the baseline OFA is compared with." };
        var fullLargest = new Option<bool>("--full-largest-resolution") { Description = "Train the full-net phase at the space's largest resolution only (the reference samples every resolution from the start)." };
        var sandwich = new Option<bool>("--sandwich") { Description = "Every step of a phase with 2 or more subnets trains that phase's largest and smallest subnet plus random ones (the sandwich rule of BigNAS; the reference samples all uniformly)." };
        var sandwichResolutions = new Option<bool>("--sandwich-resolutions") { Description = "With --sandwich: that largest subnet always at the largest resolution and that smallest at the smallest, as BigNAS (one batch, resized per subnet)." };
        var noProgressive = new Option<bool>("--no-progressive") { Description = "Ablation: one phase sampling every elastic dimension from the start (4 subnets per step, no distillation, no channel sorting), for the full phase's learning rate and the sum of all phases' epochs unless --epochs-full is given." };

        var epochs = new Dictionary<string, Option<double?>>();
        var lrs = new Dictionary<string, Option<double?>>();
        var warmups = new Dictionary<string, Option<double?>>();
        foreach (var name in PhasePlan.Names)
        {
            var d = fromScratch[name];
            var t = transfer[name];
            epochs[name] = new Option<double?>($"--epochs-{name}") { Description = $"Epochs of phase {name} (fractions allowed; default {d.Epochs}, with --from {t.Epochs})." }.PlainNumber();
            lrs[name] = new Option<double?>($"--lr-{name}") { Description = $"Base learning rate of phase {name} (default {d.LearningRate}, with --from {t.LearningRate})." }.PlainNumber();
            warmups[name] = new Option<double?>($"--warmup-{name}") { Description = $"Warm-up epochs of phase {name} (default {d.WarmupEpochs}, with --from {t.WarmupEpochs})." }.PlainNumber();
        }

        var command = new Command("train", "Train a supernet with progressive shrinking and write it as a .ofa package.");
        foreach (var o in new Option[] { dataset, dataDir, space, resolutions, holdout, from, classes, output, checkpoint, resume, keepCheckpoint, threads, seed, evalImages, calibration, batch, fixedConfig, noProgressive, fullLargest, sandwich, sandwichResolutions })
            command.Options.Add(o);
        foreach (var name in PhasePlan.Names) { command.Options.Add(epochs[name]); command.Options.Add(lrs[name]); command.Options.Add(warmups[name]); }

        command.SetAction(result => CliRunner.Run(() =>
        {
            TorchOptions.Apply(result, threads);
            var outPath = result.GetValue(output)!.FullName;
            var ckptPath = result.GetValue(checkpoint)?.FullName ?? outPath + ".ckpt";
            var logPath = outPath + ".log";
            if (result.GetValue(resume)) RequireSomethingToResume(outPath, ckptPath); // before the dataset is read
            string ds = result.GetValue(dataset)!;
            var data = TrainingData.Prepare(ds, decoder, result.GetValue(dataDir), result.GetValue(space), result.GetValue(classes),
                result.GetValue(resolutions), result.GetValue(holdout), result.GetValue(from));
            var train = data.Splits.Train;
            var test = data.Splits.Test;
            var s = data.Space;
            var defaults = PhasePlan.DefaultSchedules(transfer: data.StartFrom is not null);

            var schedules = PhasePlan.Names.ToDictionary(n => n, n =>
            {
                var d = defaults[n];
                var sched = new PhaseSchedule(result.GetValue(epochs[n]) ?? d.Epochs, result.GetValue(warmups[n]) ?? d.WarmupEpochs,
                    result.GetValue(lrs[n]) ?? d.LearningRate, result.GetValue(batch) ?? d.BatchSize);
                if (sched.Epochs <= 0 || sched.LearningRate <= 0 || sched.BatchSize <= 0 || sched.WarmupEpochs < 0)
                    throw new OfaException($"Phase {n}: epochs, learning rate and batch size must be positive (got {sched.Epochs}, {sched.LearningRate}, {sched.BatchSize}).");
                return sched;
            });
            IReadOnlyList<Phase> phases;
            if (result.GetValue(fullLargest) && (result.GetValue(fixedConfig) is not null || result.GetValue(noProgressive)))
                throw new OfaException("--full-largest-resolution shapes the full-net phase of progressive shrinking; drop it with --fixed or --no-progressive.");
            if (result.GetValue(sandwich) && (result.GetValue(fixedConfig) is not null || result.GetValue(noProgressive)))
                throw new OfaException("--sandwich shapes the sampling of progressive shrinking's phases; drop it with --fixed or --no-progressive.");
            if (result.GetValue(sandwichResolutions) && !result.GetValue(sandwich))
                throw new OfaException("--sandwich-resolutions places the sandwich rule's two subnets; add --sandwich.");
            if (result.GetValue(fixedConfig) is { } fixedFile)
            {
                if (result.GetValue(noProgressive)) throw new OfaException("Give --fixed or --no-progressive, not both.");
                var config = SubnetConfigFile.LoadOne(CliRunner.ExistingFile(fixedFile), s).Canonical(s);
                s = s with { Resolutions = [config.R] }; // a fixed network trains at its own resolution
                phases = PhasePlan.FixedSubnet(config, schedules["full"]);
            }
            else if (result.GetValue(noProgressive))
            {
                var full = schedules["full"];
                double total = result.GetValue(epochs["full"]) ?? PhasePlan.Names.Sum(n => schedules[n].Epochs);
                phases = PhasePlan.AllAtOnce(s, full with { Epochs = total });
            }
            else phases = PhasePlan.Build(s, schedules, result.GetValue(fullLargest), result.GetValue(sandwich), result.GetValue(sandwichResolutions));
            var norm = train.ComputeNormalization();
            var options = new TrainingOptions
            {
                Space = s,
                Phases = phases,
                Train = train,
                Test = data.EvaluationSet,
                StartFrom = data.StartFrom,
                Normalization = norm,
                CheckpointPath = ckptPath,
                Resume = result.GetValue(resume),
                Holdout = data.Splits.HoldoutInfo,
                Seed = result.GetValue(seed),
                EvalImages = result.GetValue(evalImages),
            };

            using var logFile = new StreamWriter(logPath, append: true) { AutoFlush = true };
            bool live = ProgressDisplay.Live;
            var display = new ProgressDisplay(live, Log);
            void Log(string line)
            {
                var stamped = $"[{DateTime.Now:HH:mm:ss}] {line}";
                logFile.WriteLine(stamped);
                if (live) AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{stamped}[/]");
                else Console.WriteLine(stamped);
            }
            Log($"ofa train: {data.Description}; checkpoint {ckptPath}, log {logPath}");
            Log($"command: ofa {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}");

            var cts = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
            Training.Networks.OfaMobileNetV3 net;
            bool trained = false;
            ProgressiveShrinking? shrinking = null; // names where its checkpoint stands, written or resumed from
            try
            {
                net = display.Run(show => (shrinking = new ProgressiveShrinking(options, p => show(PhaseStatus.Of(p)), Log)).Run(cts.Token));
                trained = true;
                FinalEvaluation(net);
            }
            catch (OperationCanceledException ex) when (shrinking?.Checkpoint is { } checkpoint)
            {
                var args = Environment.GetCommandLineArgs().Skip(1).ToList();
                if (!args.Contains("--resume")) args.Add("--resume");
                string stage = trained ? $"training had finished but not its final evaluation, so {outPath} is not written; " : "";
                string then = trained ? ", from which --resume goes straight to the final evaluation" : "";
                throw new CancelledException($"{stage}checkpoint {ckptPath} is written ({checkpoint}){then}; continue with: ofa {string.Join(' ', args.Select(ShellWord.Quote))}", ex);
            }

            // Recalibrate the largest (or the fixed) subnet so the package's statistics suit it as shipped; Ctrl-C stops it as it does a phase.
            void FinalEvaluation(Training.Networks.OfaMobileNetV3 trainedNet)
            {
                var final = phases[0].Fixed ?? SubnetConfig.Largest(s);
                string which = phases[0].Fixed is null ? "largest subnet" : "fixed subnet";
                double Top1(ImageDataset images, string on) => display.Evaluate(which, on,
                    progress => Evaluation.Top1(trainedNet, final, train, images, norm, progress: progress, cancel: cts.Token));
                if (data.Splits.Holdout is { } held)
                {
                    string on = $"the {CountText.Of(held.Count, "held-out image")}";
                    Log($"{which}: top-1 {Top1(held, on) * 100:F2} % on {on}");
                }
                if (test is not null)
                {
                    string on = CountText.Of(test.Count, "test image");
                    Log($"{which}: top-1 {Top1(test, on) * 100:F2} % on {on} (reported only)");
                }
                if (data.Splits.Holdout is null && test is null)
                    BnRecalibration.Run(trainedNet, new BatchMaker(train, norm), BnRecalibration.CalibrationIndices(train.Count), final.R, cancel: cts.Token);
            }

            string cmdLine = "ofa " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
            string how = phases[0].Fixed is not null ? $"as one fixed subnet from scratch ({phases[0].Fixed!.ToJson()})"
                : phases[0].Name == "all" ? "without progressive shrinking (every dimension sampled from the start)"
                : "with progressive shrinking";
            if (data.StartFrom is not null) how += $", transferred from {data.StartFrom.Source}";
            var package = SupernetPackage.Create(net, train, norm, $"trained on {ds} {how} (OfaBuild)", cmdLine,
                PackageCalibration.ImagesFor(train, result.GetValue(calibration)), data.Splits.HoldoutInfo);
            package.Write(outPath);
            Log($"wrote {outPath}");
            // The package holds the weights; the checkpoint (weights, teacher, momentum) only serves --resume. Kept until
            // here, so a failed or interrupted run can still resume.
            if (result.GetValue(keepCheckpoint))
            {
                string lastEpochs = PhasePlan.Names.Contains(phases[^1].Name) ? phases[^1].Name : "full"; // --fixed's and --no-progressive's one phase
                Log($"kept checkpoint {ckptPath} (--keep-checkpoint): the same command with a larger --epochs-{lastEpochs} and --resume continues the last phase");
            }
            else if (File.Exists(ckptPath))
            {
                File.Delete(ckptPath);
                Log($"removed checkpoint {ckptPath}: the package holds the trained weights (--keep-checkpoint keeps it, to continue the last phase with --resume)");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// --resume with no checkpoint starts from scratch (a script's first run), unless the package is there: then it is a
    /// finished run whose checkpoint went when the package was written, and training anew would overwrite it.
    /// </summary>
    private static void RequireSomethingToResume(string outPath, string ckptPath)
    {
        if (File.Exists(ckptPath) || !File.Exists(outPath)) return;
        throw new OfaException($"'{outPath}' is a finished run: there is no checkpoint {ckptPath} to resume, as a run removes it once its package is written"
            + " (--resume would train anew and overwrite the package). To train anew, drop --resume (or give another -o);"
            + " to continue a run's last phase later, give --keep-checkpoint when you train it.");
    }
}
