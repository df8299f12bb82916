using Microsoft.CodeAnalysis;
using OfaBuild.Generator.Tests.Harness;

namespace OfaBuild.Generator.Tests;

public class DiagnosticTests
{
    private static IReadOnlyList<Diagnostic> Diagnose(string classSource, bool withModelFile = true, ManifestFile[]? manifests = null)
    {
        using var scenario = new Scenario(withModelFile);
        var source = "using OfaBuild;\nnamespace Demo;\n" + classSource;
        return scenario.Harness(rid: "linux-arm64").Run(GeneratorHarness.Compilation(source), manifests ?? []).GeneratorDiagnostics;
    }

    private static Diagnostic Single(IReadOnlyList<Diagnostic> all, string id)
    {
        var hits = all.Where(d => d.Id == id).ToList();
        Assert.True(hits.Count == 1, $"expected one {id}, got: {string.Join(" | ", all)}");
        return hits[0];
    }

    private static ManifestFile Host => Scenario.Manifest("Demo.C", TestModels.Manifest("host", ["linux-arm64"], 1));

    [Fact]
    public void OFA0001_model_file_missing_names_both_directories()
    {
        var d = Single(Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C;", withModelFile: false, [Host]), "OFA0001");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("[OfaModel(\"models/tiny.ofa\")] on Demo.C", d.GetMessage());
        Assert.Contains("'/project'", d.GetMessage());
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void Model_file_found_relative_to_the_project_dir_is_quiet()
    {
        Assert.Empty(Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C;", manifests: [Host]));
    }

    [Fact]
    public void OFA0002_unknown_device_lists_the_catalog_unless_a_profile_is_given()
    {
        var d = Single(Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"cortex-z9\", LatencyMs = 1)] partial class C;"), "OFA0002");
        Assert.Contains("'cortex-z9' is not in the device catalog (cortex-a53, cortex-a55, cortex-a72, cortex-a76, apple-m1, x64-avx2, x64-avx512, note10, host)", d.GetMessage());
        Assert.Contains("Profile", d.GetMessage());
        var withProfile = Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"jetson\", LatencyMs = 1, Profile = \"jetson.json\")] partial class C;");
        Assert.DoesNotContain(withProfile, x => x.Id == "OFA0002");
    }

    [Fact]
    public void OFA0003_class_not_partial_and_no_wrapper_is_emitted()
    {
        using var scenario = new Scenario();
        var source = "using OfaBuild;\nnamespace Demo;\n[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] class C { }";
        var (result, output, diagnostics) = scenario.Harness().Run(GeneratorHarness.Compilation(source), [Host]);
        var d = Single(diagnostics, "OFA0003");
        Assert.Contains("Demo.C has [OfaModel] but is not partial", d.GetMessage());
        int column = source.Split('\n')[2].IndexOf("class C") + "class ".Length;
        Assert.Equal((2, column), (d.Location.GetLineSpan().StartLinePosition.Line, d.Location.GetLineSpan().StartLinePosition.Character));
        Assert.Equal(1, d.Location.SourceSpan.Length); // the class name "C"
        Assert.Single(result.Results.Single().GeneratedSources); // only the attributes
        Assert.Empty(output.GetDiagnostics().Where(x => x.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [InlineData("", "not set")]
    [InlineData(", LatencyMs = 0", "0")]
    [InlineData(", LatencyMs = -2.5", "-2.5")]
    [InlineData(", LatencyMs = double.NaN", "NaN")]
    public void OFA0004_latency_must_be_positive(string latency, string shown)
    {
        var d = Single(Diagnose($"[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\"{latency})] partial class C;", manifests: [Host]), "OFA0004");
        Assert.Contains($"[OfaTarget(\"host\")] on Demo.C: LatencyMs is {shown}", d.GetMessage());
    }

    [Fact]
    public void OFA0005_model_without_targets()
    {
        var d = Single(Diagnose("[OfaModel(\"models/tiny.ofa\")] partial class C;"), "OFA0005");
        Assert.Contains("Demo.C has [OfaModel] but no [OfaTarget]", d.GetMessage());
    }

    [Fact]
    public void OFA0006_is_a_warning_when_nothing_is_embedded_and_info_when_the_rid_filtered_a_target()
    {
        const string two = "[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"x64-avx2\", LatencyMs = 1)] partial class C;";
        var none = Diagnose(two).Where(d => d.Id == "OFA0006").ToList();
        Assert.Equal(2, none.Count);
        Assert.All(none, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("RuntimeIdentifier: linux-arm64", none[0].GetMessage());
        Assert.Contains("did not run", none[0].GetMessage());

        var filtered = Single(Diagnose(two, manifests: [Host]), "OFA0006");
        Assert.Equal(DiagnosticSeverity.Info, filtered.Severity);
        Assert.Contains("[OfaTarget(\"x64-avx2\")] on Demo.C", filtered.GetMessage());
        Assert.Contains("embedded targets: host", filtered.GetMessage());
    }

    [Fact]
    public void OFA0007_damaged_manifest_names_the_file_and_the_problem()
    {
        var broken = Host with { Json = Host.Json.Replace("\"labels\"", "\"labelz\"") };
        var all = Diagnose("[OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 1)] partial class C;", manifests: [broken]);
        var d = Single(all, "OFA0007");
        Assert.Contains(broken.Path, d.GetMessage());
        Assert.Contains("'labels' is missing", d.GetMessage());
        Assert.Contains(all, x => x.Id == "OFA0006"); // a broken manifest embeds nothing
    }
}
