namespace OfaBuild.Generator.Model;

/// <summary>
/// One [OfaModel] class as the compiler sees it: strings only. The spec's rules (paths, devices, budgets) are
/// the build task's; the targets themselves arrive as manifests.
/// </summary>
/// <param name="Namespace">Empty for the global namespace.</param>
/// <param name="FullName">Namespace.Outer.Class: the name the build task files resources and manifests under.</param>
/// <param name="Containers">Declarations of the containing types, outermost first (e.g. "partial class Outer").</param>
/// <param name="IsPartial">The class and all its containing types are partial.</param>
/// <param name="AttributeTargets">Devices of the [OfaTarget] attributes, in source order (the wrapper lists targets in that order).</param>
internal sealed record ModelSpec(
    string Namespace,
    string ClassName,
    string FullName,
    string Accessibility,
    EquatableArray<string> Containers,
    bool IsPartial,
    string ModelPath,
    SourceSpan ClassLocation,
    EquatableArray<string> AttributeTargets);
