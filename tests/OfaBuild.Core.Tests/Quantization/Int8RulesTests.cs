namespace OfaBuild.Core.Tests.Quantization;

public class Int8RulesTests
{
    [Fact]
    public void Weight_scales_are_max_abs_over_127_per_output_channel()
    {
        // Two output channels of three weights; worked by hand.
        var q = Int8Rules.WeightsPerChannel([0.5f, -1.27f, 0f, 0.03f, 0.01f, -0.04f], channels: 2);
        Assert.Equal(1.27f / 127f, q.Scales[0]);
        Assert.Equal(0.04f / 127f, q.Scales[1]);
        // 0.5 / 0.01 = 50; 0.03 / (0.04/127) = 95.25; 0.01 / (0.04/127) = 31.75.
        Assert.Equal(new sbyte[] { 50, -127, 0, 95, 32, -127 }, q.Values);
    }

    [Fact]
    public void An_all_zero_channel_gets_scale_one()
    {
        var q = Int8Rules.WeightsPerChannel([0f, 0f, 2f, -1f], channels: 2);
        Assert.Equal([1f, 2f / 127f], q.Scales);
        Assert.Equal(new sbyte[] { 0, 0, 127, -64 }, q.Values); // -1 / (2/127) = -63.5, to even
    }

    [Fact]
    public void Bias_is_int32_at_input_scale_times_weight_scale()
    {
        var (values, scales) = Int8Rules.Bias([0.5f, -0.25f], inputScale: 0.1f, weightScales: [0.01f, 0.02f]);
        Assert.Equal([0.1f * 0.01f, 0.1f * 0.02f], scales);
        Assert.Equal([500, -125], values);
    }

    [Theory]
    [InlineData(-1f, 3f, 4f / 255f, 64)]   // zero point round(1 / (4/255)) = round(63.75)
    [InlineData(0.5f, 2f, 2f / 255f, 0)]   // widened to hold 0: a ReLU-like range has zero point 0
    [InlineData(-2f, -1f, 2f / 255f, 255)]
    [InlineData(0f, 0f, 1f, 0)]
    public void Activations_are_asymmetric_uint8_over_a_range_holding_zero(float min, float max, float scale, int zeroPoint)
    {
        var q = Int8Rules.Activation(min, max);
        Assert.Equal(scale, q.Scale);
        Assert.Equal(zeroPoint, q.ZeroPoint);
    }
}
