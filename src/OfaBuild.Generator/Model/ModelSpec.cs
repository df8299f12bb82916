namespace OfaBuild.Generator.Model
{
    /// <summary>One [OfaModel] class as written in source: strings and numbers only.</summary>
    /// <param name="Namespace">Empty for the global namespace.</param>
    /// <param name="FullName">Namespace.Outer.Class: the name the build task files resources and manifests under.</param>
    /// <param name="Containers">Declarations of the containing types, outermost first (e.g. "partial class Outer").</param>
    /// <param name="IsPartial">The class and all its containing types are partial.</param>
    /// <param name="SourceDirectory">Directory of the file with the attribute; the model path may be relative to it.</param>
    internal sealed record ModelSpec(
        string Namespace,
        string ClassName,
        string FullName,
        string Accessibility,
        EquatableArray<string> Containers,
        bool IsPartial,
        string ModelPath,
        string SourceDirectory,
        SourceSpan ClassLocation,
        SourceSpan ModelAttributeLocation,
        EquatableArray<TargetSpec> Targets);

    /// <summary>One [OfaTarget] on the class. Null LatencyMs / MaxMFlops: not set in the attribute.</summary>
    internal sealed record TargetSpec(string Device, double? LatencyMs, string? Profile, double? MaxMFlops, SourceSpan Location);
}
