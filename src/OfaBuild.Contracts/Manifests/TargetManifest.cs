using System;
using System.Collections.Generic;

namespace OfaBuild.Contracts;

/// <summary>
/// The target manifest (<see cref="FormatId"/>): what `ofa specialize` writes next to each ONNX file
/// (<c>TARGET.json</c>), and what the MSBuild task, the source generator and tests read. The one definition of
/// the format: <see cref="TargetManifestJson"/> is its one reader and writer. Field names are snake_case and fixed
/// (users hold manifests); no app-facing type appears here, so renaming one never changes the file.
/// </summary>
public sealed record TargetManifest
{
    public const string FormatId = "ofabuild-target/1";

    public string Format { get; init; } = FormatId;
    /// <summary>The device name of the target (e.g. "cortex-a53"); also the file stem.</summary>
    public string Target { get; init; } = "";
    /// <summary>RIDs the target is meant for; empty for a device outside the catalog (a profile): any RID.</summary>
    public IReadOnlyList<string> RuntimeIdentifiers { get; init; } = Array.Empty<string>();
    public TargetRecognition Recognition { get; init; } = new();
    /// <summary>"measured" or "estimated": where the latency table came from.</summary>
    public string TableKind { get; init; } = "";
    public double LatencyBudgetMs { get; init; }
    public double? MaxMFlops { get; init; }
    public double? MaxMParams { get; init; }
    public ManifestConfig Config { get; init; } = new();
    public double PredictedLatencyMs { get; init; }
    /// <summary>Top-1 as a fraction, from the supernet's accuracy predictor (null when it has none).</summary>
    public double? PredictedAccuracy { get; init; }
    /// <summary>What the search maximised: "predictor" or "macs-proxy" (no predictor: largest MACs).</summary>
    public string AccuracyModel { get; init; } = "";
    /// <summary>Images the BN statistics were recalibrated on (0: the supernet's running statistics were kept).</summary>
    public int CalibrationImages { get; init; }
    public ulong Seed { get; init; }
    public long Macs { get; init; }
    public long Params { get; init; }
    public ManifestInput Input { get; init; } = new();
    public IReadOnlyList<string> Labels { get; init; } = Array.Empty<string>();
    /// <summary>File name of the ONNX model, beside this manifest.</summary>
    public string Onnx { get; init; } = "";
    public string OnnxSha256 { get; init; } = "";
    public string SupernetSha256 { get; init; } = "";
    public string ToolVersion { get; init; } = "";
    /// <summary>Numeric precision of the ONNX model (<see cref="Precisions"/>); "fp32" in manifests written before the field.</summary>
    public string Precision { get; init; } = Precisions.Fp32;
    /// <summary>Precision the latency table timed or estimated: the search's predicted latency is for this precision, not necessarily <see cref="Precision"/>'s.</summary>
    public string TablePrecision { get; init; } = Precisions.Fp32;
    /// <summary>Intra-op threads of the latency table's protocol (measured tables: `ofa profile`'s; estimated: the device's cores); null when the table does not say.</summary>
    public int? TableThreads { get; init; }
    /// <summary>
    /// An adaptive target's lower rungs (rung 1, 2, ...: smaller subnets of the search's Pareto front, each faster and
    /// less accurate than the one above); this manifest's own subnet is rung 0. Empty for a fixed target.
    /// </summary>
    public IReadOnlyList<ManifestRung> Ladder { get; init; } = Array.Empty<ManifestRung>();

    public string ToJson() => TargetManifestJson.Write(this);

    /// <exception cref="ManifestFormatException">Not a valid manifest; the message names <paramref name="source"/>.</exception>
    public static TargetManifest FromJson(string json, string source) => TargetManifestJson.Read(json, source);

    public static TargetManifest Load(string path) => FromJson(System.IO.File.ReadAllText(path), path);
}

/// <summary>How the runtime recognises the device: Arm "CPU part" values of /proc/cpuinfo (any one), or x86 features (all).</summary>
public sealed record TargetRecognition
{
    public IReadOnlyList<string> ArmCpuParts { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> X86Features { get; init; } = Array.Empty<string>();
}

/// <summary>The chosen subnet: per-slot kernel sizes and expand ratios, per-stage depths, resolution.</summary>
public sealed record ManifestConfig
{
    public IReadOnlyList<int> Ks { get; init; } = Array.Empty<int>();
    public IReadOnlyList<int> E { get; init; } = Array.Empty<int>();
    public IReadOnlyList<int> D { get; init; } = Array.Empty<int>();
    public int R { get; init; }

    /// <summary>Compact JSON, {"ks":[..],"e":[..],"d":[..],"r":N}, as `ofa` reads configs.</summary>
    public string ToJson() => Json.JsonText.Write(TargetManifestJson.ConfigObject(this), indented: false);
}

/// <summary>
/// The model input: [batch, Channels, Resolution, Resolution] floats normalised per channel as
/// (pixel / PixelScale - Mean[c]) / Std[c], after the centre crop; the output <see cref="OutputName"/> is [batch, labels].
/// </summary>
public sealed record ManifestInput
{
    public string Name { get; init; } = "input";
    public int Channels { get; init; }
    public int Resolution { get; init; }
    public IReadOnlyList<double> Mean { get; init; } = Array.Empty<double>();
    public IReadOnlyList<double> Std { get; init; } = Array.Empty<double>();
    public double PixelScale { get; init; } = 255.0;
    /// <summary>The centre share kept after resizing to Resolution / CenterCrop (the reference's 0.875 for photos; 1: the whole image).</summary>
    public double CenterCrop { get; init; } = 1.0;
    public string OutputName { get; init; } = "logits";
}

/// <summary>One lower rung of an adaptive target: its subnet, its ONNX file beside the manifest, what the build predicted.</summary>
public sealed record ManifestRung
{
    public ManifestConfig Config { get; init; } = new();
    public double PredictedLatencyMs { get; init; }
    /// <summary>Top-1 as a fraction (null when the supernet has no accuracy predictor).</summary>
    public double? PredictedAccuracy { get; init; }
    public long Macs { get; init; }
    public long Params { get; init; }
    public string Onnx { get; init; } = "";
    public string OnnxSha256 { get; init; } = "";
}

/// <summary>A manifest that cannot be read; the message names the file and the field.</summary>
public sealed class ManifestFormatException : FormatException
{
    public ManifestFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
