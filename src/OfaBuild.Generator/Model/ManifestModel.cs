namespace OfaBuild.Generator.Model;

/// <summary>
/// A target manifest that the build task passed as AdditionalFiles with OfaClass/OfaTarget/OfaEmbedded metadata,
/// reduced to what the wrapper embeds, as equatable values. <see cref="Error"/> is set (and the rest empty) when it
/// cannot be read. The file format itself is OfaBuild.Contracts' TargetManifest.
/// </summary>
internal sealed record ManifestModel
{
    public string Path { get; init; } = "";
    public string OfaClass { get; init; } = "";
    public string OfaTarget { get; init; } = "";
    /// <summary>False when the build's RuntimeIdentifier excludes the target: known to the build, not in this app.</summary>
    public bool Embedded { get; init; } = true;
    public string? Error { get; init; }
    public string Target { get; init; } = "";
    public EquatableArray<string> RuntimeIdentifiers { get; init; } = EquatableArray<string>.Empty;
    public EquatableArray<string> ArmCpuParts { get; init; } = EquatableArray<string>.Empty;
    public EquatableArray<string> X86Features { get; init; } = EquatableArray<string>.Empty;
    public string TableKind { get; init; } = "";
    public string ConfigJson { get; init; } = "";
    public double LatencyBudgetMs { get; init; }
    public double? MaxMFlops { get; init; }
    public double PredictedLatencyMs { get; init; }
    public double? PredictedAccuracy { get; init; }
    public long Macs { get; init; }
    public long Params { get; init; }
    public string InputName { get; init; } = "";
    public int Channels { get; init; }
    public int Resolution { get; init; }
    public EquatableArray<double> Mean { get; init; } = EquatableArray<double>.Empty;
    public EquatableArray<double> Std { get; init; } = EquatableArray<double>.Empty;
    public double PixelScale { get; init; }
    /// <summary>The share of the resized image kept by the centre crop (1: the whole image).</summary>
    public double CenterCrop { get; init; } = 1;
    public string OutputName { get; init; } = "";
    public EquatableArray<string> Labels { get; init; } = EquatableArray<string>.Empty;
    /// <summary>Rung 0's ONNX file name beside the manifest: the build task embeds it under that name.</summary>
    public string Onnx { get; init; } = "";
    public string Precision { get; init; } = "";
    public string TablePrecision { get; init; } = "";
    public int? TableThreads { get; init; }
    /// <summary>An adaptive target's lower rungs (rung 1, 2, ...); empty for a fixed target.</summary>
    public EquatableArray<RungModel> Ladder { get; init; } = EquatableArray<RungModel>.Empty;

    /// <summary>The target's own subnet as its ladder's rung 0: the members every rung states.</summary>
    public RungModel Rung0 => new(Onnx, ConfigJson, Resolution, PredictedLatencyMs, PredictedAccuracy, Macs, Params);
}

/// <summary>One lower rung of an adaptive target: what differs from rung 0 (the rest is the manifest's).</summary>
internal sealed record RungModel(string Onnx, string ConfigJson, int Resolution, double PredictedLatencyMs, double? PredictedAccuracy, long Macs, long Params);
