namespace OfaBuild.Core.Tests;

public class CountingTests
{
    private static readonly SearchSpace Space = Presets.Get(Presets.MobileNetV3W10, 10);

    [Theory]
    [MemberData(nameof(ReferenceCase.Names), MemberType = typeof(ReferenceCase))]
    public void Macs_and_params_equal_the_reference(string name)
    {
        var c = ReferenceCase.Get(name);
        Assert.Equal(c.Macs, SubnetCost.Macs(Space, c.Config));
        Assert.Equal(c.Params, SubnetCost.Params(Space, c.Config));
    }

    [Fact]
    public void Largest_has_more_macs_than_smallest_and_resolution_scales_macs_not_params()
    {
        var small = SubnetConfig.Smallest(Space);
        var large = SubnetConfig.Largest(Space);
        Assert.True(SubnetCost.Macs(Space, large) > 4 * SubnetCost.Macs(Space, small));
        var atOtherR = SubnetConfig.Uniform(Space, 3, 3, 2, 224);
        Assert.Equal(SubnetCost.Params(Space, small), SubnetCost.Params(Space, atOtherR));
        Assert.True(SubnetCost.Macs(Space, atOtherR) > 2.5 * SubnetCost.Macs(Space, small));
    }
}
