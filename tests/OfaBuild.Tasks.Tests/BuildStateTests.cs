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

    [Fact]
    public void An_adaptive_target_s_rungs_are_outputs_and_a_state_from_before_rungs_still_reads()
    {
        var o = Path.Combine(_project.Dir, "o");
        Directory.CreateDirectory(o);
        string[] files = ["host.onnx", "host.json", "host.rung1.onnx"];
        foreach (var f in files) File.WriteAllText(Path.Combine(o, f), "x");
        var output = new TargetOutput("App.Net", "host", Path.Combine(o, "host.onnx"), Path.Combine(o, "host.json"), [], new Location("/p/Net.cs", 3, 2),
            [Path.Combine(o, "host.rung1.onnx")]);
        Assert.Equal([Path.Combine(o, "host.onnx"), Path.Combine(o, "host.rung1.onnx")], output.Models);
        var path = Path.Combine(_project.Dir, "state.json");
        new BuildState("fp", [], [output]).Save(path);
        Assert.True(BuildState.Load(path)!.OutputsExist());
        File.Delete(Path.Combine(o, "host.rung1.onnx"));
        Assert.False(BuildState.Load(path)!.OutputsExist());

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"Rungs\"", "\"Unknown\""));
        var old = BuildState.Load(path)!;
        Assert.Null(old.Outputs[0].Rungs);
        Assert.Equal([old.Outputs[0].Onnx], old.Outputs[0].Models);
        Assert.True(old.OutputsExist());
    }
}
