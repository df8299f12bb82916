using OfaBuild.Contracts;

namespace OfaBuild.Tasks.Tests;

public sealed class RidFilterTests
{
    private static readonly Location At = new("/p/Net.cs", 3, 2);

    private static TargetOutput Target(string cls, string name, params string[] rids) =>
        new(cls, name, $"/o/{name}.onnx", $"/o/{name}.json", rids, At);

    [Fact]
    public void Without_a_runtime_identifier_everything_is_embedded_quietly()
    {
        var (embeddings, notes) = RidFilter.Apply([Target("App.Net", "cortex-a53", "linux-arm64"), Target("App.Net", "x64-avx2", "linux-x64", "win-x64")], "");
        Assert.All(embeddings, e => Assert.True(e.Embedded));
        Assert.Empty(notes);
    }

    [Fact]
    public void A_target_the_rid_excludes_is_a_message_not_a_warning()
    {
        var (embeddings, notes) = RidFilter.Apply([Target("App.Net", "cortex-a53", "linux-arm64"), Target("App.Net", "x64-avx2", "linux-x64", "win-x64")], "linux-x64");
        Assert.Equal([false, true], embeddings.Select(e => e.Embedded));
        var note = Assert.Single(notes);
        Assert.False(note.IsWarning);
        Assert.Equal("OfaBuild: not embedded in this linux-x64 build: App.Net/cortex-a53 (runs on linux-arm64).", note.Text);
    }

    [Fact]
    public void A_class_left_with_no_target_for_the_rid_gets_one_warning_at_the_model()
    {
        var (embeddings, notes) = RidFilter.Apply(
            [Target("App.Net", "cortex-a53", "linux-arm64"), Target("App.Net", "cortex-a72", "linux-arm64"), Target("App.Other", "host")], "linux-x64");
        Assert.Equal([false, false, true], embeddings.Select(e => e.Embedded)); // a target listing no RID (a profile) fits any
        var warning = Assert.Single(notes, n => n.IsWarning);
        Assert.Equal(("OFA0006", At), (warning.Code, warning.Location));
        Assert.StartsWith("App.Net has no target for RuntimeIdentifier linux-x64: its targets (cortex-a53, cortex-a72) run on linux-arm64", warning.Text);
        // Both left-out targets on one line, each with the RIDs it runs on.
        Assert.Equal("OfaBuild: not embedded in this linux-x64 build: App.Net/cortex-a53 (runs on linux-arm64), App.Net/cortex-a72 (runs on linux-arm64).",
            Assert.Single(notes, n => !n.IsWarning).Text);
    }

    [Theory]
    [InlineData(false, false, "Add an [OfaTarget] on App.Net for a device")]
    [InlineData(true, true, "Add an <OfaTarget Class=\"App.Net\"> item for a device")] // before: "Add an [OfaTarget]", an attribute the project does not use
    [InlineData(true, false, "Add an [OfaTarget] on App.Net or an <OfaTarget Class=\"App.Net\"> item for a device")]
    public void The_warning_advises_a_target_in_the_form_the_classs_targets_are_written_in(bool a53FromItem, bool a72FromItem, string advice)
    {
        var (_, notes) = RidFilter.Apply(
            [Target("App.Net", "cortex-a53", "linux-arm64") with { FromItem = a53FromItem }, Target("App.Net", "cortex-a72", "linux-arm64") with { FromItem = a72FromItem }], "linux-x64");
        var warning = Assert.Single(notes, n => n.IsWarning);
        Assert.EndsWith($"{advice} that runs on linux-x64, or build for one of linux-arm64.", warning.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cortex-a53", null, "linux-arm64", true)]
    [InlineData("Cortex-A53", null, "linux-arm64", true)]                // the catalog's device, as written in another case
    [InlineData("cortex-a53", null, "linux-x64", false)]
    [InlineData("x64-avx2", "profiles/p.json", "linux-arm64", false)]   // a catalog device with a profile runs where the catalog says
    [InlineData("lab-board", "profiles/p.json", "linux-arm64", true)]   // a profiled device the catalog does not know runs on any RID
    [InlineData("cortex-a53", null, "", true)]                         // no RuntimeIdentifier: every target
    public void A_target_is_specialised_when_the_rids_its_manifest_will_list_fit_the_build(string device, string? profile, string rid, bool specialised)
    {
        using var project = new ProjectFolder();
        project.Write("profiles/p.json", "hashed, never read here");
        var source = $"[OfaModel(\"models/net.ofa\")][OfaTarget(\"{device}\", LatencyMs = 4{(profile is null ? "" : $", Profile = \"{profile}\"")})] partial class Net;";
        var planner = project.Planner();
        var target = Assert.Single(planner.Plan(project.Specs("Net.cs", source), []));
        Assert.Empty(planner.Errors);
        Assert.Equal(specialised, RidFilter.Specialises(target, rid));
    }

    [Theory]
    [InlineData("linux-arm")]
    [InlineData("osx-x64")]
    [InlineData("linux-musl-x64")]
    public void A_rid_onnx_runtime_cannot_run_is_an_error_naming_the_rids_that_work(string rid)
    {
        var error = OnnxRuntimeRids.Refusal(rid);
        Assert.NotNull(error);
        Assert.Contains($"RuntimeIdentifier '{rid}'", error);
        Assert.Contains("linux-x64, linux-arm64, win-x64, win-arm64, osx-arm64", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("linux-arm64")]
    [InlineData("win-x64")]
    [InlineData("android-arm64")]
    public void Rids_onnx_runtime_runs_on_pass(string rid) => Assert.Null(OnnxRuntimeRids.Refusal(rid));
}
