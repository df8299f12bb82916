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

    [Fact]
    public void A_subnet_of_another_space_names_the_file_and_the_widths()
    {
        var e = Assert.Throws<OfaException>(() => SubnetConfigFile.Load(NetConfig("pixel1_lat-79ms_top1-78.7_finetune-75"), Presets.Get(Presets.MobileNetV3W10)));
        Assert.Contains("net.config", e.Message);
        Assert.Contains("stage widths of space 'mbv3-w1.0'", e.Message);
    }
}
