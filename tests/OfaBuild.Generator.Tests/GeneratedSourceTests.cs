using OfaBuild.Contracts;

namespace OfaBuild.Generator.Tests;

public class GeneratedSourceTests
{
    private const string Classifier = """
        using OfaBuild;

        namespace Demo.Vision;

        [OfaModel("models/tiny.ofa")]
        [OfaTarget("cortex-a53", LatencyMs = 4)]
        [OfaTarget("x64-avx2", LatencyMs = 0.5, MaxMFlops = 300)]
        public partial class Classifier;
        """;

    private static string Generated(GeneratorDriverRunResult result, string hintName) =>
        result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    private static void AssertCompiles(Compilation output) =>
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

    [Fact]
    public void Attributes_match_the_baseline()
    {
        var (result, output, _) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Classifier));
        Baseline.Match("OfaBuild.Attributes.g.cs", Generated(result, "OfaBuild.Attributes.g.cs"));
        AssertCompiles(output);
    }

    /// <summary>The Classifier's wrapper, generated without diagnostics from its cortex-a53 manifest and the given x64-avx2 one.</summary>
    private static (string Source, Compilation Output) ClassifierWrapper(TargetManifest x64)
    {
        var manifests = new[]
        {
            ManifestFile.For("Demo.Vision.Classifier", TestModels.Manifest("cortex-a53", ["linux-arm64"], 4, armParts: ["0xd03"])),
            ManifestFile.For("Demo.Vision.Classifier", x64),
        };
        var (result, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Classifier), manifests);
        Assert.Empty(diagnostics);
        return (Generated(result, "OfaBuild.Demo.Vision.Classifier.g.cs"), output);
    }

    [Fact]
    public void Wrapper_with_two_targets_matches_the_baseline_and_compiles()
    {
        var (source, output) = ClassifierWrapper(TestModels.Manifest("x64-avx2", ["linux-x64", "win-x64"], 0.5, x86: ["avx2", "fma"]) with { MaxMFlops = 300 });
        Baseline.Match("Demo.Vision.Classifier.g.cs", source);
        AssertCompiles(output);
    }

    [Fact]
    public void Wrapper_with_an_adaptive_target_matches_the_baseline_and_compiles()
    {
        var (source, output) = ClassifierWrapper(TestModels.AdaptiveManifest("x64-avx2", ["linux-x64", "win-x64"], 0.5));
        Baseline.Match("Demo.Vision.Classifier.Adaptive.g.cs", source);
        Assert.Contains("global::OfaBuild.Runtime.AdaptiveSession _session", source);
        Assert.Contains("ResourceName = \"OfaBuild/Demo.Vision.Classifier/x64-avx2.rung1.onnx\"", source);
        AssertCompiles(output);
    }

    [Fact]
    public void Nested_class_in_the_global_namespace_without_manifests_still_compiles()
    {
        const string nested = """
            using OfaBuild;

            internal static partial class Models
            {
                [OfaModel("models/tiny.ofa")]
                [OfaTarget("host", LatencyMs = 1)]
                internal partial class Digits { }
            }
            """;
        var (result, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(nested));
        Assert.Equal(["OFA0014"], diagnostics.Select(d => d.Id));
        Baseline.Match("Models.Digits.g.cs", Generated(result, "OfaBuild.Models.Digits.g.cs"));
        AssertCompiles(output);
    }

    [Fact]
    public void Manifest_strings_are_escaped()
    {
        var m = TestModels.Manifest("host", ["linux-x64"], 1) with { Labels = ["say \"hi\"", "back\\slash", "new\nline", "tab\t"] };
        var (_, output, _) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Classifier.Replace("cortex-a53", "host")),
            [ManifestFile.For("Demo.Vision.Classifier", m)]);
        AssertCompiles(output);
        var labels = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Classifier.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("\"say \\\"hi\\\"\", \"back\\\\slash\", \"new\\nline\", \"tab\\t\"", labels);
    }

    [Fact]
    public void An_attribute_device_in_another_case_is_named_as_the_catalog_spells_it()
    {
        // The task names Cortex-A53's outputs cortex-a53 (the catalog's spelling); the wrapper names it so, in the
        // attribute's place. A device the catalog does not know (a profiled board) keeps its spelling.
        var source = Classifier.Replace("\"cortex-a53\"", "\"Cortex-A53\"").Replace("\"x64-avx2\"", "\"Lab-Board\"");
        var a53 = ManifestFile.For("Demo.Vision.Classifier", TestModels.Manifest("cortex-a53", ["linux-arm64"], 4));
        var (result, output, _) = new GeneratorHarness().Run(GeneratorHarness.Compilation(source), [a53]);
        AssertCompiles(output);
        var wrapper = Generated(result, "OfaBuild.Demo.Vision.Classifier.g.cs");
        Assert.Contains("declared targets: cortex-a53, Lab-Board.", wrapper);
        Assert.Contains("Target = \"cortex-a53\"", wrapper);
    }

    [Fact]
    public void Item_targets_reach_EmbeddedTargets_like_attribute_targets()
    {
        // <OfaTarget Include="cortex-a72" Class="Demo.Vision.Classifier" LatencyMs="2" /> in the project: the task
        // specialises it and passes its manifest like an attribute's. Attributes keep source order; items follow by name.
        const string itemsOnly = """
            using OfaBuild;

            namespace Demo.Vision;

            [OfaModel("models/tiny.ofa")]
            public partial class Classifier;
            """;
        var a72 = ManifestFile.For("Demo.Vision.Classifier", TestModels.Manifest("cortex-a72", ["linux-arm64"], 2, armParts: ["0xd08"]));
        var host = ManifestFile.For("Demo.Vision.Classifier", TestModels.Manifest("host", ["linux-x64"], 1));
        foreach (var (source, expected) in new[] { (itemsOnly, new[] { "cortex-a72", "host" }), (Classifier.Replace("cortex-a53", "host"), new[] { "host", "cortex-a72" }) })
        {
            var (result, output, diagnostics) = new GeneratorHarness().Run(GeneratorHarness.Compilation(source), [a72, host]);
            Assert.Empty(diagnostics);
            AssertCompiles(output);
            var wrapper = Generated(result, "OfaBuild.Demo.Vision.Classifier.g.cs");
            var listed = System.Text.RegularExpressions.Regex.Matches(wrapper, "Target = \"([^\"]+)\"").Select(m => m.Groups[1].Value);
            Assert.Equal(expected, listed);
        }
    }

    [Fact]
    public void A_centre_crop_reaches_the_generated_input_info_and_the_whole_image_default_is_left_out()
    {
        var m = TestModels.Manifest("host", ["linux-x64"], 1);
        m = m with { Input = m.Input with { CenterCrop = 0.875 } };
        var (_, output, _) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Classifier.Replace("cortex-a53", "host")),
            [ManifestFile.For("Demo.Vision.Classifier", m)]);
        AssertCompiles(output);
        var source = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("Classifier.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("CenterCrop = 0.875", source);

        var (_, plain, _) = new GeneratorHarness().Run(GeneratorHarness.Compilation(Classifier.Replace("cortex-a53", "host")),
            [ManifestFile.For("Demo.Vision.Classifier", TestModels.Manifest("host", ["linux-x64"], 1))]);
        Assert.DoesNotContain("CenterCrop", plain.SyntaxTrees.Single(t => t.FilePath.EndsWith("Classifier.g.cs", StringComparison.Ordinal)).ToString());
    }
}
