using Microsoft.CodeAnalysis;

namespace OfaBuild.Generator.Diagnostics
{
    /// <summary>The generator's diagnostics. IDs are stable: users suppress and search for them.</summary>
    internal static class Descriptors
    {
        private const string Category = "OfaBuild";

        public static readonly DiagnosticDescriptor ModelFileMissing = new(
            "OFA0001", "OfaBuild model file not found",
            "[OfaModel(\"{0}\")] on {1}: no such file relative to '{2}' or to the project directory '{3}'; fix the path, or train/copy the .ofa package there",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnknownDevice = new(
            "OFA0002", "Unknown OfaBuild device",
            "[OfaTarget(\"{0}\")] on {1}: '{0}' is not in the device catalog ({2}); use one of those, or set Profile = \"path/to/latency-profile.json\" for a device you measured",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NotPartial = new(
            "OFA0003", "OfaBuild model class is not partial",
            "{0} has [OfaModel] but is not partial (or a containing type is not); the generator adds Create, Predict and Info to it: declare it 'partial'",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor BadLatency = new(
            "OFA0004", "OfaBuild target needs a positive LatencyMs",
            "[OfaTarget(\"{0}\")] on {1}: LatencyMs is {2}; set LatencyMs = the latency budget in milliseconds (a positive number), for example LatencyMs = 4",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NoTargets = new(
            "OFA0005", "OfaBuild model has no target",
            "{0} has [OfaModel] but no [OfaTarget]; add at least one, for example [OfaTarget(\"host\", LatencyMs = 1)]",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>Reported as a warning when the class gets no model at all (Create will throw), else as info (a RID filter is normal).</summary>
        public static readonly DiagnosticDescriptor NoSpecialisedModel = new(
            "OFA0006", "No specialised model for an OfaBuild target in this build",
            "[OfaTarget(\"{0}\")] on {1}: no specialised model reached this build (RuntimeIdentifier: {2}); either the RuntimeIdentifier excludes this target, or the OfaBuild build task did not run (design-time build, package targets not imported, or `ofa specialize` failed: see the build log); embedded targets: {3}",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor BadManifest = new(
            "OFA0007", "Unreadable OfaBuild target manifest",
            "{0}: not a valid OfaBuild target manifest for {1} ({2}); delete it and rebuild so `ofa specialize` writes it again",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static DiagnosticDescriptor ById(string id) => id switch
        {
            "OFA0001" => ModelFileMissing,
            "OFA0002" => UnknownDevice,
            "OFA0003" => NotPartial,
            "OFA0004" => BadLatency,
            "OFA0005" => NoTargets,
            "OFA0006" => NoSpecialisedModel,
            "OFA0007" => BadManifest,
            _ => throw new System.ArgumentException("unknown diagnostic " + id),
        };
    }
}
