using OfaBuild.Core.Space;
using OfaBuild.Training.Networks;

namespace OfaBuild.Training.Tests;

public class SupernetLayoutTests
{
    [Theory]
    [InlineData(Presets.FashionMnist)]
    [InlineData(Presets.MobileNetV3W10)]
    public void State_dict_names_and_shapes_are_the_reference_layout(string preset)
    {
        var space = Presets.Get(preset, 10);
        using var net = new OfaMobileNetV3(space);
        var weights = net.ToTensorSet();
        SupernetLayout.Check(space, weights); // throws on a missing, extra or misshapen tensor
        Assert.Equal(SupernetLayout.Tensors(space).Count, weights.Count);
    }
}
