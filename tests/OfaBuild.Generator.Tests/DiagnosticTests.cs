using System.Collections.Immutable;
using System.Globalization;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// The generator reports only what the compiler alone sees (OFA0003, OFA0007, OFA0014); the spec's rules are the
/// build task's (tests/OfaBuild.Tasks.Tests), so a wrong model path or budget gives no generator diagnostic.
/// </summary>
public class DiagnosticTests
{
    private static ImmutableArray<Diagnostic> Diagnose(string classSource, ManifestFile[]? manifests = null)
    {
        var source = "using OfaBuild;\nnamespace Demo;\n" + classSource;
        return new GeneratorHarness().Run(GeneratorHarness.Compilation(source), manifests ?? []).GeneratorDiagnostics;
    }

    private static Diagnostic Single(IReadOnlyList<Diagnostic> all, string id)
    {
        var hits = all.Where(d => d.Id == id).ToList();
        Assert.True(hits.Count == 1, $"expected one {id}, got: {string.Join(" | ", all)}");
        return hits[0];
    }

    private static ManifestFile Host => ManifestFile.For("Demo.C", TestModels.Manifest("host", ["linux-arm64"], 1));

    [Theory]
    [InlineData("[OfaModel(\"models/missing.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C;")]
    [InlineData("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = -2.5)] partial class C;")]
    [InlineData("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"cortex-z9\", LatencyMs = 1)] partial class C;")]
    [InlineData("[OfaModel(\"models/tiny.ofa\")] partial class C;")]
    public void Spec_rules_are_left_to_the_build_task(string classSource)
    {
        // With a manifest the build ran; whatever the spec says, the task has reported it (or specialised it).
        Assert.Empty(Diagnose(classSource, [Host]));
    }

    [Fact]
    public void OFA0003_class_not_partial_and_no_wrapper_is_emitted()
    {
        var source = "using OfaBuild;\nnamespace Demo;\n[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] class C { }";
        var (result, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(source), [Host]);
        var d = Single(diagnostics, "OFA0003");
        Assert.Contains("Demo.C has [OfaModel] but is not partial", d.GetMessage(CultureInfo.InvariantCulture));
        int column = source.Split('\n')[2].IndexOf("class C", StringComparison.Ordinal) + "class ".Length;
        Assert.Equal((2, column), (d.Location.GetLineSpan().StartLinePosition.Line, d.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Equal(1, d.Location.SourceSpan.Length); // the class name "C"
        Assert.Single(result.Results.Single().GeneratedSources); // only the attributes
        Assert.Empty(output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void OFA0003_is_the_one_diagnostic_when_the_build_planned_nothing_for_the_class()
    {
        // The build task plans nothing for a class that is not partial (PartialRule), so no manifest comes; before, the
        // generator added OFA0014 (no specialised model) to OFA0003. A non-partial containing type counts too.
        var all = Diagnose("static class Outer { [OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C; }");
        Assert.Equal(["OFA0003"], all.Select(d => d.Id));
        Assert.Contains("Demo.Outer.C has [OfaModel] but is not partial", all[0].GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void OFA0007_damaged_manifest_names_the_file_and_the_problem()
    {
        var broken = Host with { Json = Host.Json.Replace("\"labels\"", "\"labelz\"") };
        var all = Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C;", [broken]);
        var d = Single(all, "OFA0007");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains(broken.Path, d.GetMessage(CultureInfo.InvariantCulture));
        Assert.Contains("'labels' is missing", d.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void OFA0014_warns_once_when_no_manifest_reached_the_compiler()
    {
        var d = Single(Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class C;"), "OFA0014");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Contains("Demo.C has [OfaModel] but the OfaBuild build step passed no target manifest", d.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_target_the_runtime_identifier_excluded_is_quiet_and_not_embedded()
    {
        // The build task says so in the build log (a message; OFA0006 only when a class is left with nothing).
        const string two = "[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class C;";
        var a53 = ManifestFile.For("Demo.C", TestModels.Manifest("cortex-a53", ["linux-arm64"], 4), embedded: false);
        var (result, _, diagnostics) = new GeneratorHarness().Run(
            GeneratorHarness.Compilation("using OfaBuild;\nnamespace Demo;\n" + two), [Host, a53]);
        Assert.Empty(diagnostics);
        var wrapper = result.Results.Single().GeneratedSources.Single(s => s.HintName == "OfaBuild.Demo.C.g.cs").SourceText.ToString();
        Assert.Contains("Target = \"host\"", wrapper);
        Assert.DoesNotContain("Target = \"cortex-a53\"", wrapper);
        Assert.Contains("declared targets: host, cortex-a53", wrapper);
    }

    [Theory]
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"cortex-a53\", LatencyMs = 4)]", "Demo.C/cortex-a53")] // an attribute target
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1)]", "Demo.C/cortex-a53")]                                           // an <OfaTarget> item's
    [InlineData("[OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"cortex-a53\", LatencyMs = 4)]", "Demo.C/cortex-a53|Other.D/x64-avx2")]
    public void A_target_the_runtime_identifier_left_unspecialised_gives_the_wrapper_of_its_not_embedded_manifest(string targets, string ridExcluded)
    {
        // The build task no longer specialises such a target, so it has no manifest: its name alone gives the same wrapper.
        var compilation = GeneratorHarness.Compilation("using OfaBuild;\nnamespace Demo;\n[OfaModel(\"models/tiny.ofa\")]" + targets + " partial class C;");
        var a53 = ManifestFile.For("Demo.C", TestModels.Manifest("cortex-a53", ["linux-arm64"], 4), embedded: false);
        var (before, _, beforeDiagnostics) = new GeneratorHarness().Run(compilation, [Host, a53]);
        var (after, _, afterDiagnostics) = new GeneratorHarness().Run(compilation, [Host], ridExcluded);
        Assert.Empty(beforeDiagnostics);
        Assert.Empty(afterDiagnostics);
        static string Wrapper(GeneratorDriverRunResult r) => r.Results.Single().GeneratedSources.Single(s => s.HintName == "OfaBuild.Demo.C.g.cs").SourceText.ToString();
        Assert.Contains("declared targets: host, cortex-a53", Wrapper(after));
        Assert.Equal(Wrapper(before), Wrapper(after));
    }

    [Fact]
    public void A_class_whose_every_target_the_runtime_identifier_left_unspecialised_is_not_told_the_build_did_not_run()
    {
        // No manifest reached the compiler, yet the build ran (OFA0006 warned that the class has no target for the RID).
        const string one = "[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class C;";
        var compilation = GeneratorHarness.Compilation("using OfaBuild;\nnamespace Demo;\n" + one);
        Assert.Contains(new GeneratorHarness().Run(compilation, []).GeneratorDiagnostics, d => d.Id == "OFA0014");
        var (result, _, diagnostics) = new GeneratorHarness().Run(compilation, [], "Demo.C/cortex-a53");
        Assert.Empty(diagnostics);
        var wrapper = result.Results.Single().GeneratedSources.Single(s => s.HintName == "OfaBuild.Demo.C.g.cs").SourceText.ToString();
        Assert.Contains("declared targets: cortex-a53.", wrapper);
    }
}
