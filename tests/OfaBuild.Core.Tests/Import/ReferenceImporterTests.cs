using OfaBuild.Core.Tests.Checkpoints;

namespace OfaBuild.Core.Tests.Import;

public class ReferenceImporterTests
{
    // Checkpoints/Data/torch113_wrapped.pt: written by PyTorch 1.13, with a float16 tensor h = [1, -2]
    // (see SmallCheckpointTests.Reads_a_wrapped_checkpoint_written_by_pytorch).
    [Fact]
    public void ReadWeights_widens_float16_tensors_to_F32_and_keeps_integer_ones()
    {
        var set = ReferenceImporter.ReadWeights(CheckpointData.File("torch113_wrapped.pt"));
        Assert.Equal(DType.F32, set["h"].DType);
        Assert.Equal([1f, -2f], set["h"].F32);
        Assert.Equal([1.5f, -2], set["p"].F32);
        Assert.Equal(DType.I32, set["i"].DType);
    }

    [Theory]
    // The reference fixture is mbv3-w1.0 with 10 classes: each wrong option gets the options that fit (mbv3-w1.0's default is 1000 classes).
    [InlineData(Presets.MobileNetV3W10, null, "pass --classes 10.")]
    [InlineData(Presets.MobileNetV3W12, 10, "pass --space mbv3-w1.0 --classes 10.")]
    [InlineData(Presets.MobileNetV3W12, null, "pass --space mbv3-w1.0 --classes 10.")]
    [InlineData(Presets.FashionMnist, null, "pass --space mbv3-w1.0 --classes 10.")]
    public void A_checkpoint_of_another_space_or_class_count_names_the_options_that_fit(string space, int? classes, string fix)
    {
        var path = Fixtures.Reference("supernet_state_dict.pt");
        var ex = Assert.Throws<OfaFormatException>(() => ReferenceImporter.Import(path, Presets.Get(space, classes)));
        Assert.StartsWith(path + ": tensor '", ex.Message);
        Assert.EndsWith(fix, ex.Message);
    }

    [Fact]
    public void The_authors_predictor_given_as_a_checkpoint_says_it_goes_with_predictor()
    {
        var path = Fixtures.Tutorial("acc_predictor.pth");
        var ex = Assert.Throws<OfaFormatException>(() => ReferenceImporter.Import(path, Presets.Get(Presets.MobileNetV3W12)));
        Assert.Contains("'first_conv.conv.weight' is missing", ex.Message);
        Assert.Contains("--predictor", ex.Message);
    }
}
