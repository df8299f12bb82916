using OfaBuild.Core.Data;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// Measures subnets of a package on one split as `ofa measure` and `ofa regret` do (BN recalibrated on training
/// images, top-1 in ONNX Runtime), in parallel, showing their progress (ProgressDisplay). The dataset is read on the first measurement,
/// so `ofa measure --reuse` that finds everything in its file never loads it (`ofa regret` reads it to check its cache).
/// </summary>
internal sealed class SubnetMeasurer
{
    private readonly Lazy<(AccuracyMeasurement Measurement, EvaluationImages Evaluation, string Calibration)> _data;
    private readonly int _threads;
    private readonly CancellationToken _cancel;

    /// <param name="split">"holdout", "test", or null for the hold-out when the package records one, else the test split.</param>
    public SubnetMeasurer(OfaPackage package, string packagePath, DatasetSource source, string? split, int evalImages, int calibrationImages,
        int threads, CancellationToken cancel)
    {
        _threads = threads; // at least 1: CommonOptions.Threads
        _cancel = cancel;
        _data = new(() =>
        {
            var splits = DatasetSplits.ForPackage(source, package.Manifest.Holdout, packagePath);
            var train = splits.Train;
            var calib = train.Subset(CalibrationSubset.Indices(train.Count, calibrationImages));
            var (evaluation, images) = EvaluationImages.Take(splits, source.Dataset, split ?? EvaluationImages.DefaultSplit(splits), evalImages);
            return (new AccuracyMeasurement(package, calib, images), evaluation, $"{calib.Count} images of {train.Source} (seed {CalibrationSubset.Seed})" + (train.Reading is { } r ? $", {r}" : ""));
        });
    }

    public EvaluationImages Evaluation => _data.Value.Evaluation;
    public string Calibration => _data.Value.Calibration;

    /// <summary>Top-1 (fractions) of the configs (<paramref name="what"/>: which they are), measured in parallel.</summary>
    public IReadOnlyList<double> Top1(IReadOnlyList<SubnetConfig> configs, string what = "the sampled subnets")
    {
        var measurement = _data.Value.Measurement;
        var top1 = new double[configs.Count];
        ProgressDisplay.OnStderr().Count($"measuring the top-1 of {what}", "subnets", show =>
        {
            show((0, configs.Count)); // the start line: what runs and how much of it, before the first subnet is done
            int done = 0;
            Parallel.For(0, configs.Count, new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = _cancel }, i =>
            {
                top1[i] = measurement.Top1(configs[i]);
                show((Interlocked.Increment(ref done), configs.Count));
            });
            return 0;
        });
        return top1;
    }

    /// <summary>
    /// Refuses <paramref name="cached"/> (read from <paramref name="cacheFile"/>) unless it was measured as this measurer
    /// measures: on the same images (split and --eval-images), their pixels read the same way (<see cref="EvaluationImages.Reading"/>),
    /// with BN recalibrated on the same images (--calibration-images). Reads the dataset.
    /// </summary>
    public void RequireMeasuredAlike(MeasuredSubnets cached, string cacheFile)
    {
        if (cached.Evaluation != Evaluation && cached.Evaluation with { Reading = Evaluation.Reading } == Evaluation)
            throw new OfaException($"{cacheFile} was measured on {cached.Evaluation.Shown()}; this run measures on {Evaluation.Shown()}: the same images, but their pixels "
                + "are not recorded as read the same way (a file from before same-size PGM/PPM folders were read as stored may hold the full tool's top-1s on resampled "
                + "stored squares). Delete the file to measure again.");
        if (cached.Evaluation != Evaluation)
            throw new OfaException($"{cacheFile} was measured on {cached.Evaluation.Shown()}; this run measures on {Evaluation.Shown()}. Measure on the same images (the same split and --eval-images) or delete the file.");
        if (cached.Calibration != Calibration)
            throw new OfaException($"{cacheFile} was measured with BN recalibrated on {cached.Calibration}; this run recalibrates on {Calibration}. Measure the same way (--calibration-images) or delete the file.");
    }

    /// <summary>
    /// Top-1 of the configs: from <paramref name="cache"/> (read from <paramref name="cached"/>) where known, measured
    /// otherwise and added to it. Refuses to add to a file measured another way (other images, or BN recalibrated on
    /// other images), naming the file: one file's top-1s are comparable.
    /// </summary>
    public IReadOnlyList<double> Top1(IReadOnlyList<SubnetConfig> configs, Dictionary<SubnetConfig, double> cache, MeasuredSubnets? cached, string cacheFile, string what)
    {
        var missing = configs.Where(c => !cache.ContainsKey(c)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            if (cached is not null) RequireMeasuredAlike(cached, cacheFile);
            var measured = Top1(missing, what);
            for (int i = 0; i < missing.Length; i++) cache[missing[i]] = measured[i];
        }
        return configs.Select(c => cache[c]).ToArray();
    }
}
