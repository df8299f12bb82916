using System.Security.Cryptography;
using OfaBuild.Contracts;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Calibration;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Quantization;
using OfaBuild.Core.IO;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Search;
using OfaBuild.Core.Latency;

namespace OfaBuild.Core.Specialization;

/// <summary>One hardware target to specialise a supernet for; <see cref="Levels"/> set: an adaptive target with a ladder of that many rungs at most.</summary>
public sealed record SpecializeRequest(
    string ModelPath,
    string Device,
    double LatencyMs,
    string OutputDir,
    string? ProfilePath = null,
    double? MaxMFlops = null,
    ulong Seed = 0,
    string? Name = null,
    double? MaxMParams = null,
    string Precision = Precisions.Fp32, int? Levels = null)
{
    /// <summary>File stem of the outputs: the given name, else the device name (the catalog's spelling: <see cref="Specializer"/>).</summary>
    public string FileStem => Name ?? Device;

    /// <summary>What decides the target's search problem.</summary>
    public TargetSpec Spec => new(Device, LatencyMs, ProfilePath, MaxMFlops, MaxMParams, Precision);
}

/// <summary>What <see cref="Specializer.Run"/> wrote.</summary>
public sealed record SpecializeResult(TargetManifest Manifest, string OnnxPath, string ManifestPath, SearchResult Search);

/// <summary>One exported subnet: its ONNX bytes and the BN calibration images used (0: none).</summary>

/// <summary>
/// `ofa specialize`: search the supernet under the target's budget, extract the subnet, recalibrate its BN
/// statistics on the package's calibration images (ONNX Runtime), export ONNX (quantised to int8 when asked), write the target manifest.
/// Pure C# + ONNX Runtime; the same inputs give byte-identical outputs.
/// </summary>
public static class Specializer
{
    /// <param name="warn">Gets a warning about the target (<see cref="TargetProblem.TableWarning"/>); null: <paramref name="log"/> gets it, marked "warning:".</param>
    public static SpecializeResult Run(SpecializeRequest request, DeviceCatalog? catalog = null, Action<string>? log = null, Action<string>? warn = null)
    {
        CheckRequest(request);
        if (!File.Exists(request.ModelPath))
            throw new OfaException($"Supernet '{request.ModelPath}' does not exist.");
        return Specialize(request, OfaPackageFile.Read(request.ModelPath), catalog, log, beforeWriting: null, warn);
    }

    /// <summary>
    /// As above with the supernet already read from <see cref="SpecializeRequest.ModelPath"/> (a build's plan reads each
    /// supernet once for all its targets); the file is not read again. Targets may share <paramref name="supernet"/>, also
    /// in parallel: nothing here writes to the package (extraction shares or copies its arrays; recalibration, BN folding
    /// and quantisation make new ones).
    /// </summary>
    /// <param name="beforeWriting">
    /// Called once the outputs are made, just before the first of them replaces a file: the build deletes the target's
    /// stamp there, so a failure before it (a bad supernet, an impossible budget) leaves the last good outputs and their
    /// stamp as they were, and a stamp never stands beside outputs this run has begun to replace.
    /// </param>
    /// <param name="warn">As the other overload's.</param>
    public static SpecializeResult Run(SpecializeRequest request, OfaPackageFile supernet, DeviceCatalog? catalog = null, Action<string>? log = null,
        Action? beforeWriting = null, Action<string>? warn = null)
    {
        if (supernet.Path != request.ModelPath)
            throw new ArgumentException($"The supernet was read from '{supernet.Path}', but the request names '{request.ModelPath}'.", nameof(supernet));
        CheckRequest(request);
        return Specialize(request, supernet, catalog, log, beforeWriting, warn);
    }

    /// <summary>What is refused before the supernet is used.</summary>
    private static void CheckRequest(SpecializeRequest request)
    {
        if (!TargetNames.IsValid(request.FileStem))
            throw new OfaException($"Target name '{request.FileStem}': it names the target's files and resource; use {TargetNames.Rule} (--device, or --name).");
        // Refused before the search, which a ladder's check would otherwise follow.
        if (request.Levels is { } n && !PlannedTarget.IsValidLevels(n))
            throw new OfaException($"{request.FileStem}: {PlannedTarget.LevelsRefusal("Levels", n, "a fixed target")}");
    }

    private static SpecializeResult Specialize(SpecializeRequest request, OfaPackageFile supernet, DeviceCatalog? catalog, Action<string>? log,
        Action? beforeWriting, Action<string>? warn)
    {
        // --device Cortex-A53 is cortex-a53, and its outputs are named as the catalog spells it: cortex-a53.onnx, target "cortex-a53".
        catalog ??= DeviceCatalog.Builtin();
        request = request with { Device = catalog.Canonical(request.Device) };
        var package = supernet.Package;
        var space = package.Manifest.Space;
        if (!Precisions.All.Contains(request.Precision))
            throw new OfaException($"{request.FileStem}: precision '{request.Precision}' is not one of {string.Join(", ", Precisions.All)}.");
        var target = TargetProblem.Create(package, request.Spec, catalog, request.ModelPath);
        // Before the search: a budget the table cannot meet is then explained by it.
        if (target.TableWarning is { } warning) (warn ?? (w => log?.Invoke($"{request.FileStem}: warning: {w}")))(warning);
        var (latency, device, accuracy) = (target.Latency, target.Device, target.Problem.Accuracy);
        var table = latency.Table;
        var options = EvolutionOptions.Default(request.Seed);
        var search = EvolutionSearch.Run(target.Problem, options);
        var config = search.Best.Config.Canonical(space);
        log?.Invoke($"{request.FileStem}: chose {config.ToJson()} ({LatencyText.Ms(search.Best.Measures[0])} predicted on {table.Device}, {table.Kind.Name()} {table.Precision} table)");
        if (target.UnscoredNote is { } note) log?.Invoke($"{request.FileStem}: {note}");
        if (!target.HasPredictor)
            log?.Invoke($"{request.FileStem}: the supernet has no accuracy predictor, so the search took the subnet with the most MACs within the limits; {PackagePredictor.MeasureCommand(request.ModelPath)} stores one.");
        if (target.PrecisionNote is { } precisionNote) log?.Invoke($"{request.FileStem}: {precisionNote}");
        int calibrationImages = package.Calibration is { } cal ? cal[OfaPackage.CalibrationImages].Shape[0] : 0;
        if (calibrationImages == 0)
            log?.Invoke($"{request.FileStem}: the supernet has no calibration images; BN statistics are the supernet's running statistics ({PackageCalibration.AddCommand(request.ModelPath)} adds images to recalibrate them on).");
        else // the subnet runs over every image (int8: twice), which at 224 px takes tens of seconds: say so before it starts
            log?.Invoke($"{request.FileStem}: recalibrating BN statistics on {calibrationImages} calibration images at r {config.R}" +
                (request.Precision == Precisions.Int8 ? ", then int8 activation ranges on the same images" : "") +
                (request.Levels is not null ? "; each lower rung of the ladder the same" : "") + ".");
        var onnx = Export(package, config, request);
        Directory.CreateDirectory(request.OutputDir);
        var onnxPath = TargetFiles.Onnx(request.OutputDir, request.FileStem);
        var manifestPath = TargetFiles.Manifest(request.OutputDir, request.FileStem);

        float[] acc = new float[1];
        accuracy.PredictMany([config], acc);
        var ladder = request.Levels is { } levels ? Ladder(package, target, config, levels, options, request, log) : [];
        var manifest = new TargetManifest
        {
            Target = request.FileStem,
            // The catalog device's RIDs (also with a profile), none for a profiled device it does not know: the rule the
            // build task predicts them by before specialising (Contracts' CatalogDevices.RuntimeIdentifiersOf).
            RuntimeIdentifiers = device?.RuntimeIdentifiers ?? [],
            Recognition = new TargetRecognition
            {
                ArmCpuParts = device?.Recognition.ArmCpuParts ?? [],
                X86Features = device?.Recognition.X64Features ?? [],
            },
            TableKind = table.Kind.Name(),
            LatencyBudgetMs = request.LatencyMs,
            MaxMFlops = request.MaxMFlops,
            MaxMParams = request.MaxMParams,
            Config = config.ToManifest(),
            PredictedLatencyMs = Math.Round(latency.Predict(config), 6),
            PredictedAccuracy = target.HasPredictor ? Math.Round(acc[0], 6) : null,
            AccuracyModel = target.AccuracyModelName,
            CalibrationImages = calibrationImages,
            Seed = request.Seed,
            Macs = SubnetCost.Macs(space, config),
            Params = SubnetCost.Params(space, config),
            Input = new ManifestInput
            {
                Name = SubnetOnnxExporter.InputName, // what the exporter wrote, not the contract's default for older manifests
                OutputName = SubnetOnnxExporter.OutputName,
                Channels = space.InputChannels,
                Resolution = config.R,
                Mean = package.Manifest.Normalization.Mean,
                Std = package.Manifest.Normalization.Std,
                CenterCrop = package.Manifest.Normalization.Crop,
            },
            Labels = package.Manifest.Labels,
            Onnx = Path.GetFileName(onnxPath),
            OnnxSha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            SupernetSha256 = supernet.Sha256, // of the bytes the package was read from
            ToolVersion = ToolInfo.Version,
            Precision = request.Precision,
            TablePrecision = table.Precision,
            TableThreads = table.Threads,
            Ladder = [.. ladder.Select(r => r.Rung)],
        };
        beforeWriting?.Invoke();
        // ONNX first, manifest last: a manifest is only ever next to a complete model.
        foreach (var (rung, bytes) in ladder) AtomicFile.WriteAllBytes(Path.Combine(request.OutputDir, rung.Onnx), bytes);
        AtomicFile.WriteAllBytes(onnxPath, onnx);
        AtomicFile.WriteAllBytes(manifestPath, System.Text.Encoding.UTF8.GetBytes(manifest.ToJson()));
        return new SpecializeResult(manifest, onnxPath, manifestPath, search);
    }

    /// <summary>An adaptive target's lower rungs (<see cref="AdaptiveLadder"/>), exported like rung 0.</summary>
    /// <param name="options">Rung 0's search, run again at each lower rung's limit.</param>
    private static List<(ManifestRung Rung, byte[] Onnx)> Ladder(OfaPackage package, TargetProblem target, SubnetConfig top, int levels,
        EvolutionOptions options, SpecializeRequest request, Action<string>? log)
    {
        var space = package.Manifest.Space;
        var rungs = AdaptiveLadder.LowerRungs(target.Problem, top, levels, options);
        if (rungs.Count < levels - 1)
            log?.Invoke($"{request.FileStem}: the ladder has {rungs.Count + 1} of {levels} rungs: below rung 0 the Pareto front has no further subnet that is faster and at least {AdaptiveLadder.MinAccuracyStep * 100:0.#} percentage point less accurate than the rung above.");
        var result = new List<(ManifestRung, byte[])>();
        for (int i = 0; i < rungs.Count; i++)
        {
            var config = rungs[i].Config.Canonical(space);
            var onnx = Export(package, config, request);
            var rung = new ManifestRung
            {
                Config = config.ToManifest(),
                PredictedLatencyMs = Math.Round(target.Latency.Predict(config), 6),
                PredictedAccuracy = target.HasPredictor ? Math.Round(rungs[i].Accuracy, 6) : null,
                Macs = SubnetCost.Macs(space, config),
                Params = SubnetCost.Params(space, config),
                Onnx = TargetFiles.RungOnnxName(request.FileStem, i + 1),
                OnnxSha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            };
            log?.Invoke($"{request.FileStem}: rung {i + 1} {config.ToJson()} ({LatencyText.Ms(rung.PredictedLatencyMs)} predicted)");
            result.Add((rung, onnx));
        }
        return result;
    }

    /// <summary>A subnet (rung 0 or a lower rung) as the target ships it: calibrated fp32, quantised when the target is int8.</summary>
    private static byte[] Export(OfaPackage package, SubnetConfig config, SpecializeRequest request)
    {
        var (onnx, calibration) = CalibratedSubnet.ExportFp32(package, config, ToolInfo.Version);
        return request.Precision == Precisions.Int8
            ? SubnetQuantization.Quantize(onnx, calibration, config.R, request.ModelPath, $"{request.ModelPath} (target {request.FileStem}, Precision = Int8)")
            : onnx;
    }
}
