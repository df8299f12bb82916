using System.Security.Cryptography;
using OfaBuild.Contracts;
using OfaBuild.Core.Calibration;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Quantization;
using OfaBuild.Core.IO;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Search;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Space;

namespace OfaBuild.Core.Specialization;

/// <summary>One hardware target to specialise a supernet for.</summary>
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
    string Precision = Precisions.Fp32)
{
    /// <summary>File stem of the outputs: the given name, else the device name.</summary>
    public string FileStem => Name ?? Device;
}

/// <summary>What <see cref="Specializer.Run"/> wrote.</summary>
public sealed record SpecializeResult(TargetManifest Manifest, string OnnxPath, string ManifestPath, SearchResult Search);

/// <summary>
/// `ofa specialize`: search the supernet under the target's budget, extract the subnet, recalibrate its BN
/// statistics on the package's calibration images (ONNX Runtime), export ONNX (quantised to int8 when asked), write the target manifest.
/// Pure C# + ONNX Runtime; the same inputs give byte-identical outputs.
/// </summary>
public static class Specializer
{
    public static SpecializeResult Run(SpecializeRequest request, DeviceCatalog? catalog = null, Action<string>? log = null)
    {
        if (!File.Exists(request.ModelPath))
            throw new OfaException($"Supernet '{request.ModelPath}' does not exist.");
        var package = OfaPackage.Read(request.ModelPath);
        var space = package.Manifest.Space;
        var target = TargetProblem.Create(package, request.Device, request.LatencyMs, request.ProfilePath, request.MaxMFlops, catalog, request.MaxMParams);
        var (latency, device, accuracy) = (target.Latency, target.Device, target.Problem.Accuracy);
        var table = latency.Table;
        var search = EvolutionSearch.Run(target.Problem, new EvolutionOptions { Seed = request.Seed });
        var config = search.Best.Config.Canonical(space);
        log?.Invoke($"{request.FileStem}: chose {config.ToJson()} ({search.Best.Measures[0]:0.###} ms predicted on {table.Device}, {table.Kind.Name()} table)");

        var (onnx, calibration) = CalibratedSubnet.ExportFp32(package, config, ToolInfo.Version);
        if (calibration is null)
            log?.Invoke($"{request.FileStem}: the supernet has no calibration images; BN statistics are the supernet's running statistics.");
        if (request.Precision == Precisions.Int8)
            onnx = SubnetQuantization.Quantize(onnx, calibration, config.R, $"{request.ModelPath} (target {request.FileStem}, Precision = Int8)");
        else if (request.Precision != Precisions.Fp32)
            throw new OfaException($"{request.FileStem}: precision '{request.Precision}' is not one of {string.Join(", ", Precisions.All)}.");
        Directory.CreateDirectory(request.OutputDir);
        var onnxPath = Path.Combine(request.OutputDir, request.FileStem + ".onnx");
        var manifestPath = Path.Combine(request.OutputDir, request.FileStem + ".json");

        float[] acc = new float[1];
        accuracy.PredictMany([config], acc);
        var manifest = new TargetManifest
        {
            Target = request.FileStem,
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
            CalibrationImages = calibration?.Count ?? 0,
            Seed = request.Seed,
            Macs = SubnetCost.Macs(space, config),
            Params = SubnetCost.Params(space, config),
            Input = new ManifestInput
            {
                Channels = space.InputChannels,
                Resolution = config.R,
                Mean = package.Manifest.Normalization.Mean,
                Std = package.Manifest.Normalization.Std,
                CenterCrop = package.Manifest.Normalization.Crop,
            },
            Labels = package.Manifest.Labels,
            Onnx = Path.GetFileName(onnxPath),
            OnnxSha256 = Convert.ToHexStringLower(SHA256.HashData(onnx)),
            SupernetSha256 = OfaPackage.ComputeHash(request.ModelPath),
            ToolVersion = ToolInfo.Version,
            Precision = request.Precision,
            TablePrecision = Precisions.Fp32, // every table (estimated or `ofa profile`) times fp32 layers today
            TableThreads = table.Threads,
        };
        // ONNX first, manifest last: a manifest is only ever next to a complete model.
        AtomicFile.WriteAllBytes(onnxPath, onnx);
        AtomicFile.WriteAllBytes(manifestPath, System.Text.Encoding.UTF8.GetBytes(manifest.ToJson()));
        return new SpecializeResult(manifest, onnxPath, manifestPath, search);
    }
}
