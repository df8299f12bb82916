using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OfaBuild.Contracts;

namespace OfaBuild.Generator.Tests.Harness;

/// <summary>A manifest as the build task passes it: an AdditionalFiles item with OfaClass/OfaTarget/OfaEmbedded metadata.</summary>
public sealed record ManifestFile(string Path, string OfaClass, string OfaTarget, string Json, bool Embedded = true)
{
    /// <summary>A manifest written with the contract's writer, as `ofa specialize` does.</summary>
    public static ManifestFile For(string ofaClass, OfaBuild.Contracts.TargetManifest m, bool embedded = true) =>
        new($"/project/obj/ofabuild/{ofaClass}/{m.Target}.json", ofaClass, m.Target, m.ToJson(), embedded);
}

/// <summary>Runs the generator over in-memory sources the way the compiler does.</summary>
public sealed class GeneratorHarness
{
    public static readonly CSharpParseOptions Parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> References { get; } = LoadReferences();

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "OfaConsumer",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, Parse, path: $"/project/File{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <param name="ridExcluded">The targets the build task left out for the RuntimeIdentifier, as it passes them (<see cref="RidExcludedTargets"/>).</param>
    public GeneratorDriver Driver(IEnumerable<ManifestFile>? manifests = null, string? ridExcluded = null)
    {
        var files = (manifests ?? []).ToList();
        return CSharpGeneratorDriver.Create(
            [new OfaModelGenerator().AsSourceGenerator()],
            files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Json)),
            Parse,
            new OptionsProvider(
                ridExcluded is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [RidExcludedTargets.GeneratorKey] = ridExcluded },
                files.ToDictionary(f => f.Path, f => new Dictionary<string, string>
                {
                    [ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Class)] = f.OfaClass,
                    [ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Target)] = f.OfaTarget,
                    [ManifestItemMetadata.GeneratorKey(ManifestItemMetadata.Embedded)] = f.Embedded ? "true" : "false",
                })),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs once; returns the compilation with the generated sources and all diagnostics (generator's and compiler's).</summary>
    public (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) Run(
        CSharpCompilation compilation, IEnumerable<ManifestFile>? manifests = null, string? ridExcluded = null)
    {
        var driver = Driver(manifests, ridExcluded).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    private static List<MetadataReference> LoadReferences()
    {
        // The test host's own framework assemblies, plus the runtime library and ONNX Runtime that generated code calls.
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var framework = tpa.Where(p =>
        {
            var name = Path.GetFileNameWithoutExtension(p);
            return name is "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name == "System";
        });
        return framework
            .Append(typeof(OfaBuild.Runtime.OfaModelSession).Assembly.Location)
            .Append(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }

    private sealed class OptionsProvider(Dictionary<string, string> global, Dictionary<string, Dictionary<string, string>> perFile) : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Empty = new(new Dictionary<string, string>());
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            perFile.TryGetValue(textFile.Path, out var values) ? new Options(values) : Empty;
    }
}
