using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OfaBuild.Generator.Tests.Harness;

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
        [TrackingNames.Specs, TrackingNames.Manifests, TrackingNames.ManifestSet, TrackingNames.Build, TrackingNames.Wrappers, TrackingNames.Diagnostics];

    private static Dictionary<string, IncrementalStepRunReason[]> Reasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single().TrackedSteps
            .Where(kv => Steps.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value.SelectMany(step => step.Outputs).Select(o => o.Reason).ToArray());

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        using var scenario = new Scenario();
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = scenario.Harness().Driver([Scenario.Manifest("Demo.C", TestModels.Manifest("host", ["linux-x64"], 1))])
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

    [Fact]
    public void Changing_a_latency_budget_reruns_the_model_steps()
    {
        using var scenario = new Scenario();
        var compilation = GeneratorHarness.Compilation(Model);
        var driver = scenario.Harness().Driver().RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var changed = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Model.Replace("LatencyMs = 1", "LatencyMs = 2"))));
        var second = Reasons(driver.RunGenerators(changed));

        Assert.Contains(IncrementalStepRunReason.Modified, second[TrackingNames.Specs]);
        Assert.Contains(IncrementalStepRunReason.Modified, second[TrackingNames.Wrappers]);
    }
}
