using System.Runtime.Versioning;
using Microsoft.Build.Framework;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;

namespace OfaBuild.Tasks.Tests;

/// <summary>
/// A build for a RuntimeIdentifier specialises only the targets it can embed; the rest are named to the user and the
/// source generator as before. The `ofa` stand-in is a script that keeps each plan it is given and "specialises" a
/// target by copying its prepared outputs (shell scripts with file modes: Unix only, as ToolChoiceTests).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RidPlanningTests : IDisposable
{
    private const string ThreeTargets =
        "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)]" +
        "[OfaTarget(\"x64-avx2\", LatencyMs = 1, Profile = \"profiles/x64.json\")][OfaTarget(\"lab-board\", LatencyMs = 2, Profile = \"profiles/lab.json\")] partial class Net;";

    private readonly ProjectFolder _project = new();
    private string Output => _project.NetOutput;

    public RidPlanningTests()
    {
        _project.Write("profiles/x64.json", "hashed, never read here");
        _project.Write("profiles/lab.json", "hashed, never read here");
        // Each target's outputs as `ofa specialize` writes them, its manifest listing the catalog's RIDs (none for lab-board).
        foreach (var name in new[] { "cortex-a53", "x64-avx2", "lab-board" })
        {
            _project.Write($"staged/{name}.json", (ManifestContractTests.Sample with { Target = name, Onnx = name + ".onnx", RuntimeIdentifiers = [.. CatalogDevices.RuntimeIdentifiersOf(name)] }).ToJson());
            _project.Write($"staged/{name}.onnx", "model bytes");
        }
        _project.WriteStandIn($"""
            for t in cortex-a53 x64-avx2 lab-board; do
              if grep -q "\"name\": \"$t\"" "$3"; then cp "{_project.Dir}/staged/$t.json" "{_project.Dir}/staged/$t.onnx" "{Output}/"; fi
            done
            """);
    }

    public void Dispose() => _project.Dispose();

    private (OfaSpecialize Task, RecordingEngine Engine, bool Ok) Build(string rid, string source = ThreeTargets, bool designTime = false)
    {
        var engine = new RecordingEngine();
        var task = _project.TaskWithStandIn(engine, source, rid);
        task.DesignTime = designTime;
        bool ok = task.Execute();
        return (task, engine, ok);
    }

    /// <summary>The targets of each plan the tool was given, in order.</summary>
    private string[][] PlansGiven() => Directory.GetFiles(_project.Plans).Order(StringComparer.Ordinal)
        .Select(p => SpecializationPlan.FromJson(File.ReadAllText(p)).Targets.Select(t => t.Name).ToArray()).ToArray();

    private static string[] Names(IEnumerable<ITaskItem> items, string metadata) => [.. items.Select(i => i.GetMetadata(metadata))];

    private const string LeftOut = "OfaBuild: not embedded in this linux-arm64 build: Net/x64-avx2 (runs on linux-x64, win-x64).";

    [Fact]
    public void A_build_for_a_rid_specialises_only_the_targets_it_can_embed_and_names_the_others()
    {
        var (task, engine, ok) = Build("linux-arm64");
        Assert.True(ok, string.Join(" | ", engine.Errors.Select(e => e.Message)));
        // x64-avx2 runs on linux-x64 and win-x64 (the catalog's RIDs, also with a profile); lab-board, not in the catalog, on any.
        Assert.Equal([["cortex-a53", "lab-board"]], PlansGiven());
        Assert.Contains(engine.Messages, m => m.Message!.StartsWith("OfaBuild: specialising 2 of 3 target(s): Net/cortex-a53, Net/lab-board (native tool", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Output, "x64-avx2.onnx")));
        // Said at high importance, as the specialising line is: `dotnet publish` shows it at its default verbosity (before,
        // at normal importance, such a publish said "specialising 2 of 3 target(s)" and not which was left out or why).
        Assert.Contains(engine.Messages, m => m.Message == LeftOut && m.Importance == MessageImportance.High);
        Assert.Empty(engine.Warnings);
        Assert.Equal(["Net/cortex-a53.onnx", "Net/lab-board.onnx"], Names(task.EmbeddedModels, "LogicalName").Select(n => n[(n.IndexOf('/') + 1)..]));
        Assert.Equal(["cortex-a53", "lab-board"], Names(task.Manifests, ManifestItemMetadata.Target));
        Assert.Equal("Net/x64-avx2", task.ExcludedTargets);

        // Nothing changed: the no-op fast path gives the same outputs without the excluded target's files.
        var (again, againEngine, againOk) = Build("linux-arm64");
        Assert.True(againOk);
        Assert.Single(PlansGiven());
        Assert.Equal(Names(task.EmbeddedModels, "LogicalName"), Names(again.EmbeddedModels, "LogicalName"));
        Assert.Equal("Net/x64-avx2", again.ExcludedTargets);
        Assert.Contains(againEngine.Messages, m => m.Message == LeftOut && m.Importance == MessageImportance.High);
    }

    [Fact]
    public void A_design_time_build_runs_no_tool_and_hands_on_what_the_last_build_made()
    {
        // Before, the IDE's design-time builds skipped the step, so its generator never saw a manifest, even after a build:
        // OFA0014 in the IDE and a wrapper without labels.
        var (before, beforeEngine, beforeOk) = Build("linux-arm64", designTime: true);
        Assert.True(beforeOk);
        Assert.Empty(PlansGiven());
        Assert.Empty(before.Manifests); // nothing built yet: the generator's OFA0014 says so
        Assert.Empty(beforeEngine.Errors);

        var (built, _, ok) = Build("linux-arm64");
        Assert.True(ok);
        // A budget edited since the build: still no search; the last build's outputs go on as they are.
        var (after, afterEngine, afterOk) = Build("linux-arm64", ThreeTargets.Replace("LatencyMs = 4", "LatencyMs = 3", StringComparison.Ordinal), designTime: true);
        Assert.True(afterOk, string.Join(" | ", afterEngine.Errors.Select(e => e.Message)));
        Assert.Single(PlansGiven());
        Assert.Equal(["cortex-a53", "lab-board"], Names(after.Manifests, ManifestItemMetadata.Target));
        Assert.Equal(Names(built.EmbeddedModels, "LogicalName"), Names(after.EmbeddedModels, "LogicalName"));
        Assert.Equal("Net/x64-avx2", after.ExcludedTargets);
    }

    [Fact]
    public void Without_a_rid_every_target_is_specialised_and_embedded()
    {
        var (task, engine, ok) = Build("");
        Assert.True(ok, string.Join(" | ", engine.Errors.Select(e => e.Message)));
        Assert.Equal([["cortex-a53", "x64-avx2", "lab-board"]], PlansGiven());
        Assert.Equal(["cortex-a53", "x64-avx2", "lab-board"], Names(task.Manifests, ManifestItemMetadata.Target));
        Assert.Equal(3, task.EmbeddedModels.Length);
        Assert.Equal("", task.ExcludedTargets);
    }

    [Fact]
    public void A_class_the_rid_leaves_with_no_target_starts_no_tool_and_is_still_warned()
    {
        var (task, engine, ok) = Build("linux-x64", "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        Assert.True(ok, string.Join(" | ", engine.Errors.Select(e => e.Message)));
        Assert.Empty(PlansGiven());
        var warning = Assert.Single(engine.Warnings);
        Assert.Equal(DiagnosticIds.NoTargetForRid, warning.Code);
        Assert.StartsWith("Net has no target for RuntimeIdentifier linux-x64: its targets (cortex-a53) run on linux-arm64", warning.Message, StringComparison.Ordinal);
        Assert.Empty(task.EmbeddedModels);
        Assert.Empty(task.Manifests);
        Assert.Equal("Net/cortex-a53", task.ExcludedTargets);
    }

    [Fact]
    public void Switching_the_rid_in_one_obj_folder_specialises_what_the_new_rid_needs()
    {
        Build("linux-arm64");
        var (task, engine, ok) = Build("linux-x64");
        Assert.True(ok, string.Join(" | ", engine.Errors.Select(e => e.Message)));
        // The stand-in writes no stamps, so every target it may embed is stale again: cortex-a53 is left out now.
        Assert.Equal([["cortex-a53", "lab-board"], ["x64-avx2", "lab-board"]], PlansGiven());
        Assert.Equal(["x64-avx2", "lab-board"], Names(task.Manifests, ManifestItemMetadata.Target));
        Assert.Equal("Net/cortex-a53", task.ExcludedTargets);
    }
}
