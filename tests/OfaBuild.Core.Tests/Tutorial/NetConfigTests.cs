namespace OfaBuild.Core.Tests.Tutorial;

/// <summary>The reference's specialised-subnet net.config read as a subnet of the space it came from.</summary>
public class NetConfigTests
{
    private static string NetConfig(string name) => Fixtures.Tutorial($"specialized/{name}/net.config");

    [Fact]
    public void Reads_a_specialised_subnet_with_its_run_config_resolution()
    {
        var c = Assert.Single(SubnetConfigFile.Load(NetConfig("flops-389M_top1-79.1_finetune-75"), TutorialFixture.W12));
        Assert.Equal([2, 3, 3, 4, 4], c.D);
        Assert.Equal(224, c.R);
        Assert.Equal(389_487_856, Counting.SubnetCost.Macs(TutorialFixture.W12, c)); // the "389M" of its name
        var at160 = Assert.Single(SubnetConfigFile.Load(NetConfig("flops-389M_top1-79.1_finetune-75"), TutorialFixture.W12, resolution: 160));
        Assert.Equal(160, at160.R);
    }

    [Theory]
    [InlineData("min")]
    [InlineData("max")]
    [InlineData("rand0")]
    [InlineData("rand1")]
    public void Reads_the_net_config_the_reference_writes_today_with_conv_blocks(string name)
    {
        // get_active_net_config() of the reference at the fixture's commit names each block's layer 'conv' (not the zoo's
        // 'mobile_inverted_conv'); the fixture's expected.json has the same subnet as ks/e/d.
        var path = Fixtures.Reference($"subnet_{name}_net_config.json");
        Assert.Contains("\"conv\"", File.ReadAllText(path));
        var space = Presets.Get(Presets.MobileNetV3W10);
        var c = Assert.Single(SubnetConfigFile.Load(path, space, resolution: 128));
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.Reference("expected.json")));
        var want = expected.RootElement.GetProperty("configs").EnumerateArray().Single(e => e.GetProperty("name").GetString() == $"{name}_r128");
        int[] Ints(string key) => want.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(Ints("d"), c.D);
        var (ks, e) = (Ints("ks"), Ints("e"));
        for (int s = 0; s < c.D.Length; s++)
            for (int i = 0; i < c.D[s]; i++)
            {
                int slot = s * space.MaxDepth + i;
                Assert.Equal((ks[slot], e[slot]), (c.Ks[slot], c.E[slot]));
            }
    }

    [Fact]
    public void A_subnet_of_another_space_names_the_file_and_the_widths()
    {
        var e = Assert.Throws<OfaException>(() => SubnetConfigFile.Load(NetConfig("pixel1_lat-79ms_top1-78.7_finetune-75"), Presets.Get(Presets.MobileNetV3W10)));
        Assert.Contains("net.config", e.Message);
        Assert.Contains("stage widths of space 'mbv3-w1.0'", e.Message);
    }

    [Fact]
    public void A_run_config_given_as_the_subnet_says_to_pass_the_net_config_beside_it()
    {
        var run = Fixtures.Tutorial("specialized/flops-389M_top1-79.1_finetune-75/run.config");

        var e = Assert.Throws<OfaException>(() => SubnetConfigFile.Load(run, TutorialFixture.W12));

        Assert.Contains(run, e.Message);
        Assert.Contains("pass the net.config beside it", e.Message);
    }

    [Fact]
    public void A_config_file_without_a_field_names_the_file()
    {
        using var dir = new TempDir();
        var path = dir["cfg.json"];
        File.WriteAllText(path, "{\"e\":[3],\"d\":[2],\"r\":128}");

        var e = Assert.Throws<OfaException>(() => SubnetConfigFile.Load(path, TutorialFixture.W12));

        Assert.Contains(path, e.Message);
        Assert.Contains("'ks' is missing", e.Message);
    }
}
