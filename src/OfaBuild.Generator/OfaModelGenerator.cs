using System.Linq;
using Microsoft.CodeAnalysis;
using OfaBuild.Generator.Diagnostics;
using OfaBuild.Generator.Emit;
using OfaBuild.Generator.Model;
using OfaBuild.Generator.Parsing;

namespace OfaBuild.Generator;

/// <summary>
/// Adds [OfaModel]/[OfaTarget] to the compilation and, per [OfaModel] partial class, a typed wrapper over the
/// targets the build task embedded (their manifests arrive as AdditionalFiles with OfaClass/OfaTarget/OfaEmbedded
/// metadata, the names of the targets a RuntimeIdentifier left out unspecialised as the OfaRidExcludedTargets
/// property; the task has already checked the spec).
/// Every step works on equatable models of strings and numbers; diagnostics have their own pipeline.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OfaModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        context.RegisterPostInitializationOutput(c => c.AddSource("OfaBuild.Attributes.g.cs", WrapperEmitter.EmitAttributes()));

        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(SpecReader.ModelAttribute, SpecReader.IsCandidate, SpecReader.Read)
            .Where(s => s != null)
            .Select((s, _) => s!)
            .WithTrackingName(TrackingNames.Specs);

        var manifests = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select((pair, ct) => ManifestReader.Read(pair.Left, pair.Right.GetOptions(pair.Left), ct))
            .Where(m => m != null)
            .Select((m, _) => m!)
            .WithTrackingName(TrackingNames.Manifests);

        // The targets the build's RuntimeIdentifier left out unspecialised: names only, as a not-embedded manifest gives.
        var ridExcluded = context.AnalyzerConfigOptionsProvider
            .Select((options, _) => ManifestReader.RidExcluded(options.GlobalOptions))
            .WithTrackingName(TrackingNames.RidExcluded);

        var manifestSet = manifests
            .Collect()
            .Combine(ridExcluded)
            .Select((pair, _) => pair.Left.Concat(pair.Right).OrderBy(m => m.OfaClass, System.StringComparer.Ordinal)
                                   .ThenBy(m => m.OfaTarget, System.StringComparer.Ordinal)
                                   .ThenBy(m => m.Path, System.StringComparer.Ordinal)
                                   .ToEquatableArray())
            .WithTrackingName(TrackingNames.ManifestSet);

        var wrappers = specs
            .Combine(manifestSet)
            .Select((pair, _) => WrapperModel.Build(pair.Left, pair.Right))
            .Where(w => w != null)
            .Select((w, _) => w!)
            .WithTrackingName(TrackingNames.Wrappers);

        context.RegisterSourceOutput(wrappers, (spc, wrapper) => spc.AddSource(WrapperEmitter.HintName(wrapper), WrapperEmitter.Emit(wrapper)));

        var diagnostics = specs
            .Combine(manifestSet)
            .Select((pair, _) => SpecDiagnostics.Find(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(diagnostics, (spc, found) =>
        {
            foreach (var d in found) spc.ReportDiagnostic(d.ToDiagnostic());
        });

        // Hosted apps: services.Add<Class>() when the app references the DI abstractions (a bool, so edits stay cached).
        var hasServiceCollection = context.CompilationProvider
            .Select((c, _) => c.GetTypeByMetadataName(ServiceRegistrationEmitter.ServiceCollectionType) != null)
            .WithTrackingName(TrackingNames.ServiceCollection);

        context.RegisterSourceOutput(wrappers.Combine(hasServiceCollection).Where(pair => pair.Right),
            (spc, pair) => spc.AddSource(ServiceRegistrationEmitter.HintName(pair.Left), ServiceRegistrationEmitter.Emit(pair.Left)));
    }
}

/// <summary>Names of the pipeline steps, for incremental-caching tests.</summary>
public static class TrackingNames
{
    public const string Specs = "OfaModelSpecs";
    public const string Manifests = "OfaManifests";
    public const string ManifestSet = "OfaManifestSet";
    public const string RidExcluded = "OfaRidExcluded";
    public const string Wrappers = "OfaWrappers";
    public const string Diagnostics = "OfaDiagnostics";
    public const string ServiceCollection = "OfaServiceCollection";
}
