namespace OfaBuild.Contracts;

/// <summary>
/// The metadata with which the build task passes each target manifest to the source generator as an AdditionalFiles
/// item. build/OfaBuild.props makes each of them compiler-visible (a generator test holds the two to one list).
/// </summary>
public static class ManifestItemMetadata
{
    /// <summary>The namespace-qualified name of the [OfaModel] class the target belongs to.</summary>
    public const string Class = "OfaClass";
    /// <summary>The target's name (its device name).</summary>
    public const string Target = "OfaTarget";
    /// <summary>"true" when the target's model is embedded for the build's RuntimeIdentifier, else "false".</summary>
    public const string Embedded = "OfaEmbedded";

    public static readonly string[] All = { Class, Target, Embedded };

    /// <summary>The key under which a generator finds an AdditionalFiles item's metadata in its AnalyzerConfigOptions.</summary>
    public static string GeneratorKey(string name) => "build_metadata.AdditionalFiles." + name;
}
