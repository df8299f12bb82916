namespace OfaBuild.Tasks.Tests;

public sealed class BuildStateTests : IDisposable
{
    private readonly ProjectFolder _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void State_round_trips_and_a_damaged_file_only_costs_a_full_run()
    {
        var path = Path.Combine(_project.Dir, "state.json");
        var output = new TargetOutput("App.Net", "cortex-a53", "/o/cortex-a53.onnx", "/o/cortex-a53.json", ["linux-arm64"], new Location("/p/Net.cs", 3, 2));
        new BuildState("fp", ["/p/models/net.ofa"], [output]).Save(path);
        var back = BuildState.Load(path)!;
        Assert.Equal("fp", back.Fingerprint);
        Assert.Equal(output with { RuntimeIdentifiers = back.Outputs[0].RuntimeIdentifiers }, back.Outputs[0]);
        Assert.Equal(["linux-arm64"], back.Outputs[0].RuntimeIdentifiers);
        Assert.False(back.OutputsExist());

        File.WriteAllText(path, "{ not json");
        Assert.Null(BuildState.Load(path));
        Assert.Null(BuildState.Load(Path.Combine(_project.Dir, "absent.json")));
    }

    [Fact]
    public void The_fingerprint_changes_with_every_input()
    {
        var model = Path.Combine(_project.Dir, "models", "net.ofa");
        string Fp(string rid = "", string item = "", string tool = "t") =>
            BuildState.ComputeFingerprint(["Net.cs|abc"], item.Length > 0 ? [item] : [], rid, tool, [model]);
        var baseline = Fp();
        Assert.Equal(baseline, Fp());
        Assert.NotEqual(baseline, Fp(rid: "linux-arm64"));
        Assert.NotEqual(baseline, Fp(item: "cortex-a72|App.Net|2||"));
        Assert.NotEqual(baseline, Fp(tool: "t2"));
        File.AppendAllText(model, " retrained");
        Assert.NotEqual(baseline, Fp());
    }
}
