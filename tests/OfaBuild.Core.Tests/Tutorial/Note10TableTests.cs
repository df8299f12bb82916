namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>The authors' 17 Note10 tables as the `note10` catalog device, read per resolution as the reference reads them.</summary>
public class Note10TableTests
{
    private static LatencyTable Table() => DeviceCatalog.Builtin().LatencyTable("note10", TutorialFixture.W12);

    [Fact]
    public void The_tutorial_subnet_gets_the_reference_latency()
    {
        var (config, _, ms) = TutorialFixture.Notebook();
        Assert.Equal(24.730167, Table().Predict(TutorialFixture.W12, config), 5);
        Assert.Equal(24.730167, Table().Compile(TutorialFixture.W12).Predict(config), 5);
    }

    [Fact]
    public void All_50_reference_points_match()
    {
        var latency = Table().Compile(TutorialFixture.W12);
        foreach (var (config, _, ms) in TutorialFixture.Points())
            Assert.Equal(ms, latency.Predict(config), 1e-6);
    }

    [Fact]
    public void Keeps_each_resolution_and_the_spread_of_the_files()
    {
        var table = Table();
        Assert.Equal(Enumerable.Range(0, 17).Select(i => 160 + 4 * i), table.ByResolution.Keys);
        Assert.Equal(table.ByResolution.Keys, table.CoveredResolutions(TutorialFixture.W12));
        // Conv_2 has its own mean in each file; 160's std from its YAML is kept.
        const string conv2 = "Conv_2-input:1x1x1152-output:1x1x1536";
        Assert.NotEqual(table.ByResolution[160][conv2].Mean, table.ByResolution[224][conv2].Mean);
        Assert.Equal(0.09968561638146704, table.ByResolution[160][conv2].Std, 12);
        Assert.Equal(498, table.ByResolution[160][conv2].Count);
        // and survives the profile file format
        var back = LatencyTableFile.Parse(LatencyTableFile.ToJson(table), "note10.json");
        var (config, _, _) = TutorialFixture.Notebook();
        Assert.Equal(table.Predict(TutorialFixture.W12, config), back.Predict(TutorialFixture.W12, config), 9);
    }

    [Fact]
    public void Note10_is_a_catalog_device_for_android_arm64_recognised_by_its_cpu()
    {
        var d = DeviceCatalog.Builtin().Get("note10");
        Assert.Equal(["android-arm64"], d.RuntimeIdentifiers);
        Assert.Equal(LatencyTableKind.Measured, d.LatencyKind);
        Assert.Equal("mbv3-w1.2", d.MeasuredTables!.Space);
        // The runtime recognises a target by these parts (OfaBuild.Runtime's TargetSelector, the one CPU rule).
        Assert.Equal(["0x804"], d.Recognition.ArmCpuParts);
        var w10 = Assert.Throws<OfaException>(() => DeviceCatalog.Builtin().LatencyTable("note10", Core.Space.Presets.Get("mbv3-w1.0")));
        Assert.Contains("measured latency tables for space 'mbv3-w1.2' only", w10.Message);
    }
}
