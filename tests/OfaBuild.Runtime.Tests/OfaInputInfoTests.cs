namespace OfaBuild.Runtime.Tests;

public class OfaInputInfoTests
{
    [Fact]
    public void Prepare_names_the_wrong_buffer_as_the_caller_passed_it_with_the_length_it_needs()
    {
        var input = TestModel.Info().Input; // 1 x 12 x 12
        var pixels = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[15 * 16], 16, 16, new float[144]));
        Assert.Equal("pixels", pixels.ParamName);
        Assert.Contains("pixels holds 240 bytes; [1, 1, 16, 16] needs 256", pixels.Message);
        var destination = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[16 * 16], 16, 16, new float[143]));
        Assert.Equal("destination", destination.ParamName);
        Assert.Contains("destination holds 143 floats; [1, 1, 12, 12] needs 144", destination.Message);
    }
}
