using System.Text.Json;
using System.Text.Json.Serialization;
using OfaBuild.Core.Space;
using OfaBuild.Runtime;

namespace OfaBuild.Core.Specialization;

/// <summary>
/// What `ofa specialize` writes next to each ONNX file (<c>TARGET.json</c>), and what the MSBuild
/// task, the source generator and the runtime read. Format id <see cref="FormatId"/>; snake_case JSON.
/// </summary>
public sealed record TargetManifest
{
    public const string FormatId = "ofabuild-target/1";

    public string Format { get; init; } = FormatId;
    /// <summary>The device name of the target (e.g. "cortex-a53").</summary>
    public required string Target { get; init; }
    public required IReadOnlyList<string> RuntimeIdentifiers { get; init; }
    public required TargetRecognition Recognition { get; init; }
    /// <summary>"measured" or "estimated": where the latency table came from.</summary>
    public required string TableKind { get; init; }
    public required double LatencyBudgetMs { get; init; }
    public double? MaxMFlops { get; init; }
    public double? MaxMParams { get; init; }
    public required SubnetConfig Config { get; init; }
    public required double PredictedLatencyMs { get; init; }
    /// <summary>Top-1 as a fraction, from the supernet's accuracy predictor (null when it has none).</summary>
    public double? PredictedAccuracy { get; init; }
    /// <summary>What the search maximised: "predictor" (the package's accuracy predictor) or "macs-proxy" (no predictor: largest MACs).</summary>
    public required string AccuracyModel { get; init; }
    /// <summary>Images the BN statistics were recalibrated on (0: the supernet's running statistics were kept).</summary>
    public required int CalibrationImages { get; init; }
    public required ulong Seed { get; init; }
    public required long Macs { get; init; }
    public required long Params { get; init; }
    /// <summary>The input the model expects (the runtime's own record: the manifest is its source).</summary>
    public required OfaInputInfo Input { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    /// <summary>File name of the ONNX model, beside this manifest.</summary>
    public required string Onnx { get; init; }
    public required string OnnxSha256 { get; init; }
    public required string SupernetSha256 { get; init; }
    public required string ToolVersion { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    public static TargetManifest Load(string path) => FromJson(File.ReadAllText(path), path);

    /// <summary>The fields every reader relies on: present, positive, consistent.</summary>
    private void Check(string source)
    {
        void Require([System.Diagnostics.CodeAnalysis.DoesNotReturnIf(false)] bool ok, string what)
        {
            if (!ok) throw new OfaFormatException($"{source}: {what}; re-run `ofa specialize`.");
        }
        Require(!string.IsNullOrWhiteSpace(Target), "'target' is empty");
        Require(Config is not null && RuntimeIdentifiers is not null && Recognition is not null && Labels is not null && Input is not null, "a required field is null");
        Require(Input.Channels is >= 1 and <= 64 && Input.Resolution is >= 1 and <= 4096, "'input' channels or resolution out of range");
        Require(Input.Mean is not null && Input.Std is not null && Input.Mean.Count == Input.Channels && Input.Std.Count == Input.Channels, "'input' mean/std do not match its channels");
        Require(Labels.Count >= 1, "'labels' is empty");
        Require(double.IsFinite(PredictedLatencyMs) && double.IsFinite(LatencyBudgetMs), "latencies are not finite");
        Require(!string.IsNullOrEmpty(Onnx) && Path.GetFileName(Onnx) == Onnx, "'onnx' must be a file name beside the manifest");
    }

    public static TargetManifest FromJson(string json, string source)
    {
        try
        {
            var m = JsonSerializer.Deserialize<TargetManifest>(json, Json)
                ?? throw new OfaFormatException($"{source}: empty target manifest.");
            if (m.Format != FormatId)
                throw new OfaFormatException($"{source}: format '{m.Format}' is not '{FormatId}'; re-run `ofa specialize` with this tool version.");
            m.Check(source);
            return m;
        }
        catch (JsonException ex)
        {
            throw new OfaFormatException($"{source}: not a valid target manifest ({ex.Message}).", ex);
        }
    }
}

/// <summary>How the runtime recognises the device: Arm "CPU part" values of /proc/cpuinfo, or x86 features (all required).</summary>
public sealed record TargetRecognition
{
    public IReadOnlyList<string> ArmCpuParts { get; init; } = [];
    public IReadOnlyList<string> X86Features { get; init; } = [];
}
