using Microsoft.CodeAnalysis;
using OfaBuild.Contracts;

namespace OfaBuild.Generator.Diagnostics;

/// <summary>
/// The diagnostics only the compiler can give: the spec's own rules are checked once, by the build task
/// (README, "Diagnostics", lists the whole OFA family and where each is reported).
/// </summary>
internal static class Descriptors
{
    private const string Category = "OfaBuild";

    public static readonly DiagnosticDescriptor NotPartial = new(
        DiagnosticIds.NotPartial, "OfaBuild model class is not partial",
        "{0} has [OfaModel] but is not partial (or a containing type is not); the generator adds Create, Predict and Info to it: declare it 'partial'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BadManifest = new(
        DiagnosticIds.BadManifest, "Unreadable OfaBuild target manifest",
        "{0}: not a valid OfaBuild target manifest for {1} ({2}); delete it and rebuild so `ofa specialize` writes it again",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoManifest = new(
        DiagnosticIds.NoManifest, "No OfaBuild manifest reached the compiler",
        "{0} has [OfaModel] but the OfaBuild build step passed no target manifest for it, so the wrapper has no model and Create will throw; the step did not run (a design-time build before the first build, OfaEnabled=false, or the package's build targets are not imported): build the project with the OfaBuild package referenced",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        DiagnosticIds.NotPartial => NotPartial,
        DiagnosticIds.BadManifest => BadManifest,
        DiagnosticIds.NoManifest => NoManifest,
        _ => throw new System.ArgumentException("unknown diagnostic " + id),
    };
}
