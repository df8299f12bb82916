namespace OfaBuild.Core.Tests.Accuracy;

/// <summary>The space a predictor was trained on: what identifies it, and which package spaces it fits.</summary>
public class TrainingSpaceTests
{
    private static readonly SearchSpace W10 = Presets.Get(Presets.MobileNetV3W10);
    private static readonly SearchSpace W12 = Presets.Get(Presets.MobileNetV3W12);

    [Fact]
    public void The_description_lists_every_choice_in_order_and_reads_back()
    {
        var described = TrainingSpace.Of(W12).Describe();
        Assert.StartsWith("ofa-space-v1;stages=5;max_depth=4;d=2,3,4;ks=3,5,7;e=3,4,6;r=128,132,", described);
        Assert.EndsWith(";in=3;classes=1000", described);
        Assert.Equal(described, TrainingSpace.Parse(described, "test").Describe());
        Assert.Empty(TrainingSpace.Parse(described, "test").Mismatches(W12));
    }

    [Fact]
    public void Spaces_that_encode_alike_are_told_apart_by_their_widths()
    {
        // w1.0 and w1.2 have the same slots and choices, so the same encoding; only the widths differ.
        Assert.Equal(ArchEncoder.For(W10).Describe(), ArchEncoder.For(W12).Describe());
        var mismatch = Assert.Single(TrainingSpace.Of(W12).Mismatches(W10));
        Assert.StartsWith("widths 24,24,32,48,96,136,192,1152,1536 (the package's: 16,16,24,40,80,112,160,960,1280)", mismatch);
    }

    [Fact]
    public void Spaces_that_differ_only_in_strides_squeeze_excite_or_activations_are_told_apart()
    {
        // Before, trained_on recorded none of them: a predictor of w1.2 was taken for a w1.2 space with other strides, SE or activations.
        var trained = TrainingSpace.Of(W12);
        var strides = W12 with { Stages = [.. W12.Stages.Select((st, i) => i == 3 ? st with { Stride = 2 } : st)] };
        Assert.Equal(["strides 2,2,2,2,1,2 (the package's: 2,2,2,2,2,2)"], trained.Mismatches(strides));
        var se = W12 with { Stages = [.. W12.Stages.Select(st => st with { UseSe = false })] };
        Assert.Equal(["squeeze-excite per stage 0,1,0,1,1 (the package's: 0,0,0,0,0)"], trained.Mismatches(se));
        // Nor activations: ReLU where the predictor's network ran h-swish is another network.
        var relu = W12 with { Stages = [.. W12.Stages.Select(st => st with { Activation = Activation.Relu })] };
        Assert.Equal(["h-swish (first block, each stage) 0,0,0,1,1,1 (the package's: 0,0,0,0,0,0)"], trained.Mismatches(relu));
        Assert.Empty(trained.NotRecorded);
    }

    [Fact]
    public void A_description_written_before_strides_squeeze_excite_and_activations_were_recorded_reads_as_before()
    {
        string before = System.Text.RegularExpressions.Regex.Replace(TrainingSpace.Of(W12).Describe(), ";strides=[^;]*;se=[^;]*;hswish=[^;]*", "");
        Assert.DoesNotContain("strides", before);
        var read = TrainingSpace.Parse(before, "test");
        Assert.Equal(before, read.Describe());
        Assert.Equal(["strides", "squeeze-excite per stage", "h-swish (first block, each stage)"], read.NotRecorded);
        // Not recorded, so not checked: the space reads as it did, still told apart by what is recorded.
        Assert.Empty(read.Mismatches(W12 with { Stages = [.. W12.Stages.Select(st => st with { UseSe = false, Stride = 1, Activation = Activation.Relu })] }));
        Assert.Equal("--space mbv3-w1.2", read.PresetOptions());
        Assert.StartsWith("widths ", Assert.Single(read.Mismatches(W10)));
    }

    [Fact]
    public void A_package_space_with_fewer_choices_fits_one_with_more_or_other_choices_does_not()
    {
        var trained = TrainingSpace.Of(W12);
        Assert.Empty(trained.Mismatches(W12 with { Resolutions = [160, 192, 224], Depths = [3, 4], KernelSizes = [5, 7] }));
        Assert.Equal(["resolutions 128,132,136,140,144,148,152,156,160,164,168,172,176,180,184,188,192,196,200,204,208,212,216,220,224 (the package's: 112,128)"],
            trained.Mismatches(W12 with { Resolutions = [112, 128] }));
        Assert.Equal(["depths 2,3,4 (the package's: 1,2,3,4)", "classes 1000 (the package's: 10)"],
            trained.Mismatches(W12 with { Depths = [1, 2, 3, 4], NumClasses = 10 }));
    }

    [Fact]
    public void The_preset_of_a_space_is_named_with_its_class_count()
    {
        Assert.Equal("--space mbv3-w1.2", TrainingSpace.Of(W12).PresetOptions());
        Assert.Equal("--space mbv3-w1.0 --classes 10", TrainingSpace.Of(Presets.Get(Presets.MobileNetV3W10, 10)).PresetOptions());
        Assert.Null(TrainingSpace.Of(W12 with { Resolutions = [300] }).PresetOptions());
    }

    [Fact]
    public void Check_names_the_source_the_difference_and_the_fix()
    {
        var e = Assert.Throws<OfaException>(() => TrainingSpace.Of(W12).Check(W10, "p.pth", "Use the other package."));
        Assert.StartsWith("p.pth: the accuracy predictor was trained on another search space (that of --space mbv3-w1.2) than the package's 'mbv3-w1.0': widths ", e.Message);
        Assert.EndsWith("Use the other package.", e.Message);
    }

    [Theory]
    [InlineData("ofa-mbv3-onehot-v1;stages=5", "is not a 'ofa-space-v1' description")]
    [InlineData("ofa-space-v1;stages=5", "lacks 'max_depth='")]
    [InlineData("ofa-space-v1;stages=five", "field 'stages' of 'ofa-space-v1' is not a list of integers")]
    public void A_damaged_description_is_a_format_error_naming_its_source(string description, string expected)
    {
        var e = Assert.Throws<OfaFormatException>(() => TrainingSpace.Parse(description, "m.ofa"));
        Assert.StartsWith("m.ofa: ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
