namespace OfaBuild.Generator.Model
{
    /// <summary>
    /// A target manifest (ofabuild-target/1) that the build task passed as AdditionalFiles with OfaClass/OfaTarget
    /// metadata, reduced to what the wrapper embeds. <see cref="Error"/> is set (and the rest empty) when it cannot be read.
    /// </summary>
    internal sealed record ManifestModel(
        string Path,
        string OfaClass,
        string OfaTarget,
        string? Error,
        string Target,
        EquatableArray<string> RuntimeIdentifiers,
        EquatableArray<string> ArmCpuParts,
        EquatableArray<string> X86Features,
        string TableKind,
        string ConfigJson,
        double LatencyBudgetMs,
        double? MaxMFlops,
        double PredictedLatencyMs,
        double? PredictedAccuracy,
        long Macs,
        long Params,
        string InputName,
        int Channels,
        int Resolution,
        EquatableArray<double> Mean,
        EquatableArray<double> Std,
        double PixelScale,
        double CenterCrop,
        string OutputName,
        EquatableArray<string> Labels)
    {
        public static ManifestModel Broken(string path, string ofaClass, string ofaTarget, string error) => new(
            path, ofaClass, ofaTarget, error, "", EquatableArray<string>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty,
            "", "", 0, null, 0, null, 0, 0, "", 0, 0, EquatableArray<double>.Empty, EquatableArray<double>.Empty, 0, 1, "", EquatableArray<string>.Empty);
    }

    /// <summary>Build properties the generator reads (build_property.*).</summary>
    internal sealed record BuildFacts(string ProjectDir, string RuntimeIdentifier);
}
