using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace OfaBuild.Tasks.Tests;

/// <summary>The task as MSBuild runs it, for what fails before the `ofa` tool would be started.</summary>
public sealed class OfaSpecializeTests : IDisposable
{
    private readonly ProjectFolder _project = new();

    public void Dispose() => _project.Dispose();

    /// <summary>The task over <paramref name="sourceFile"/>; its tool is never started (each test ends before a search).</summary>
    private OfaSpecialize Task(RecordingEngine engine, string sourceFile, string rid = "", ITaskItem[]? items = null) => new()
    {
        BuildEngine = engine,
        Sources = [new TaskItem(sourceFile)],
        TargetItems = items ?? [],
        ProjectDirectory = _project.Dir,
        ProjectFile = _project.ProjectFile,
        IntermediateDirectory = _project.Obj,
        RuntimeIdentifier = rid,
        ToolAssembly = _project.Write("tool/ofa.dll", "never started"),
    };

    [Theory]
    [InlineData("linux-arm")]
    [InlineData("osx-x64")]
    public void A_build_for_a_rid_onnx_runtime_cannot_run_fails_before_specialising(string rid)
    {
        var source = _project.Write("Net.cs", "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] partial class Net;");
        var engine = new RecordingEngine();
        var task = Task(engine, source, rid);
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal("OFA0013", error.Code);
        Assert.Contains($"RuntimeIdentifier '{rid}'", error.Message);
        Assert.Contains("linux-arm64", error.Message);
        Assert.False(File.Exists(Path.Combine(_project.Obj, "plan.json")));
        Assert.Empty(task.EmbeddedModels);
    }

    [Fact]
    public void A_class_that_is_not_partial_starts_no_search()
    {
        // Before: the tool searched for its targets, then the generator's OFA0003 stopped the build. Now nothing is
        // specialised and the task reports nothing: the generator's OFA0003 at the class is the build's one error.
        var source = _project.Write("Net.cs", "[OfaModel(\"models/net.ofa\")][OfaTarget(\"cortex-a53\", LatencyMs = 4)] class Net;");
        var engine = new RecordingEngine();
        var task = Task(engine, source);
        Assert.True(task.Execute());
        Assert.Empty(engine.Errors);
        Assert.False(File.Exists(Path.Combine(_project.Obj, "plan.json")));
        Assert.Empty(task.EmbeddedModels);
        Assert.Empty(task.Manifests);
    }

    [Fact]
    public void An_item_no_project_file_defines_is_reported_at_the_project_being_built()
    {
        // An <OfaTarget> that names no defining file had its error at an empty file name; the project being built is
        // given (ProjectFile), as MSBuild's ProjectFileOfTaskNode names the package's .targets that calls the task.
        var source = _project.Write("Net.cs", "[OfaModel(\"models/net.ofa\")] partial class Net;");
        var engine = new RecordingEngine();
        var task = Task(engine, source, items: [_project.Item("cortex-a53", "Nte", "4")]);
        Assert.False(task.Execute());
        var error = Assert.Single(engine.Errors, e => e.Code == "OFA0009");
        Assert.Equal((_project.ProjectFile, 1, 1), (error.File, error.LineNumber, error.ColumnNumber));
        Assert.StartsWith("<OfaTarget Include=\"cortex-a53\" Class=\"Nte\"> names no [OfaModel] class.", error.Message, StringComparison.Ordinal);
    }
}
