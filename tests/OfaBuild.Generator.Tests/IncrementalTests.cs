using Microsoft.CodeAnalysis.CSharp;

namespace OfaBuild.Generator.Tests;

public class IncrementalTests
{
    private const string Model = """
        using OfaBuild;
        namespace Demo;
        [OfaModel("models/tiny.ofa")]
        [OfaTarget("host", LatencyMs = 1)]
        public partial class C;
        """;

    private static readonly string[] Steps =
        [TrackingNames.Specs, TrackingNames.Manifests, TrackingNames.ManifestSet, TrackingNames.Wrappers, TrackingNames.Diagnostics];

    private static Dictionary<string, IncrementalStepRunReason[]> Reasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps
            .Where(kv => Steps.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.SelectMany(step => step.Outputs).Select(o => o.Reason).ToArray());

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = new GeneratorHarness().Driver([ManifestFile.For("Demo.C", TestModels.Manifest("host", ["linux-x64"], 1))])
            .RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public class Unrelated { public int X; }", GeneratorHarness.Parse, path: "/project/Other.cs"));
        var second = Reasons(driver.RunGenerators(edited));

        Assert.Equal(Steps.OrderBy(s => s), second.Keys.OrderBy(s => s));
        foreach (var (step, reasons) in second)
        {
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    private static Dictionary<string, IncrementalStepRunReason[]> Rerun(string edited)
    {
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = new GeneratorHarness().Driver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        return Reasons(driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited)))));
    }

    [Fact]
    public void Adding_a_target_reruns_the_model_steps()
    {
        var second = Rerun(Model.Replace("[OfaTarget(\"host\", LatencyMs = 1)]", "[OfaTarget(\"host\", LatencyMs = 1)][OfaTarget(\"cortex-a53\", LatencyMs = 4)]"));
        Assert.Contains(IncrementalStepRunReason.Modified, second[TrackingNames.Specs]);
        Assert.Contains(IncrementalStepRunReason.Modified, second[TrackingNames.Wrappers]);
    }

    [Fact]
    public void Changing_only_a_latency_budget_leaves_the_model_cached()
    {
        // The budget reaches the wrapper through the manifest the build task rewrites, not through the attribute.
        var second = Rerun(Model.Replace("LatencyMs = 1", "LatencyMs = 2"));
        Assert.All(second[TrackingNames.Specs], r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(second[TrackingNames.Wrappers], r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }
}
