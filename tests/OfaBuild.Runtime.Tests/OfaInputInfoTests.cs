namespace OfaBuild.Runtime.Tests;

public class OfaInputInfoTests
{
    /// <summary>A colour input: 3 x 7 x 7, the reference's evaluation crop, a mean and std per channel.</summary>
    private static readonly OfaInputInfo Colour = new() { Channels = 3, Resolution = 7, Mean = [0.4, 0.5, 0.6], Std = [0.2, 0.25, 0.3], CenterCrop = 0.875 };
    private static readonly OfaInputInfo Grey = new() { Channels = 1, Resolution = 7, Mean = [0.5], Std = [0.25], CenterCrop = 0.875 };
    private const int H = 13, W = 10;

    /// <summary>A seeded colour image [3, H, W] (planar R, G, B).</summary>
    private static byte[] PlanarRgb()
    {
        var pixels = new byte[3 * H * W];
        new Random(7).NextBytes(pixels);
        return pixels;
    }

    /// <summary>The planar image's pixels interleaved in <paramref name="order"/> (indices into R, G, B; -1 an alpha byte of noise).</summary>
    private static byte[] Interleave(byte[] planar, int[] order, int rowBytes)
    {
        var pixels = new byte[H * rowBytes];
        new Random(11).NextBytes(pixels); // alpha and the rows' padding: noise, which must not matter
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int k = 0; k < order.Length; k++)
                    if (order[k] >= 0) pixels[y * rowBytes + x * order.Length + k] = planar[order[k] * H * W + y * W + x];
        return pixels;
    }

    private static float[] Prepared(OfaInputInfo input, byte[] planar)
    {
        var floats = new float[input.Channels * input.Resolution * input.Resolution];
        input.Prepare(planar, H, W, floats);
        return floats;
    }

    private static float[] Prepared(OfaInputInfo input, byte[] pixels, OfaPixelFormat format, int? rowBytes = null)
    {
        var floats = new float[input.Channels * input.Resolution * input.Resolution];
        if (rowBytes is int stride) input.Prepare(pixels, H, W, stride, format, floats);
        else input.Prepare(pixels, H, W, format, floats);
        return floats;
    }

    public static TheoryData<OfaPixelFormat, int[]> ColourFormats => new()
    {
        { OfaPixelFormat.Rgb24, [0, 1, 2] },
        { OfaPixelFormat.Bgr24, [2, 1, 0] },
        { OfaPixelFormat.Rgba32, [0, 1, 2, -1] },
        { OfaPixelFormat.Bgra32, [2, 1, 0, -1] },
    };

    [Theory]
    [MemberData(nameof(ColourFormats))]
    public void Interleaved_colour_pixels_give_exactly_the_floats_of_the_same_image_planar(OfaPixelFormat format, int[] order)
    {
        var planar = PlanarRgb();
        var expected = Prepared(Colour, planar);
        Assert.Equal(expected, Prepared(Colour, Interleave(planar, order, W * order.Length), format));
        // A decoder's stride (SKBitmap.RowBytes) wider than the row: the padding is skipped, whatever it holds.
        int stride = W * order.Length + 6;
        Assert.Equal(expected, Prepared(Colour, Interleave(planar, order, stride), format, stride));
    }

    [Theory]
    [MemberData(nameof(ColourFormats))]
    public void Colour_pixels_for_a_grey_model_are_its_luma_rounded_as_training_decodes_them(OfaPixelFormat format, int[] order)
    {
        var planar = PlanarRgb();
        var grey = new byte[H * W];
        for (int i = 0; i < grey.Length; i++) // ITU-R 601, rounded to the nearest: training's rule, written out
            grey[i] = (byte)((planar[i] * 299 + planar[H * W + i] * 587 + planar[2 * H * W + i] * 114 + 500) / 1000);
        Assert.Equal(Prepared(Grey, grey), Prepared(Grey, Interleave(planar, order, W * order.Length), format));
    }

    [Fact]
    public void Luma_rounds_to_the_nearest_and_keeps_grey_as_it_is()
    {
        Assert.Equal(76, PixelLayout.Luma(255, 0, 0)); // 76.245
        Assert.Equal(150, PixelLayout.Luma(0, 255, 0)); // 149.685
        Assert.Equal(29, PixelLayout.Luma(0, 0, 255)); // 29.07
        Assert.Equal(1, PixelLayout.Luma(2, 0, 0)); // 0.598
        Assert.All(Enumerable.Range(0, 256), v => Assert.Equal(v, PixelLayout.Luma(v, v, v)));
    }

    [Fact]
    public void Grey_pixels_for_a_colour_model_are_repeated_into_each_channel_and_for_a_grey_model_kept()
    {
        var grey = PlanarRgb()[..(H * W)];
        Assert.Equal(Prepared(Colour, [.. grey, .. grey, .. grey]), Prepared(Colour, grey, OfaPixelFormat.Gray8));
        Assert.Equal(Prepared(Grey, grey), Prepared(Grey, grey, OfaPixelFormat.Gray8));
    }

    [Fact]
    public void Interleaved_Prepare_allocates_nothing()
    {
        var pixels = Interleave(PlanarRgb(), [2, 1, 0, -1], W * 4);
        var floats = new float[3 * 7 * 7];
        Colour.Prepare(pixels, H, W, OfaPixelFormat.Bgra32, floats); // JIT first
        long before = GC.GetAllocatedBytesForCurrentThread();
        Colour.Prepare(pixels, H, W, OfaPixelFormat.Bgra32, floats);
        Grey.Prepare(pixels, H, W, W * 4, OfaPixelFormat.Bgra32, floats.AsSpan(0, 49));
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

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

    [Fact]
    public void Interleaved_Prepare_names_the_wrong_buffer_or_stride_with_the_length_it_needs()
    {
        var input = TestModel.Info().Input; // 1 x 12 x 12
        // RGB24 bytes passed as BGRA: the length says so.
        var pixels = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[16 * 16 * 3], 16, 16, OfaPixelFormat.Bgra32, new float[144]));
        Assert.Equal("pixels", pixels.ParamName);
        Assert.Contains("pixels holds 768 bytes; 16 rows of 16 Bgra32 pixels, 64 bytes apart, need 1024.", pixels.Message);
        var padded = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[16 * 52 + 1], 16, 16, 52, OfaPixelFormat.Rgb24, new float[144]));
        Assert.Equal("pixels", padded.ParamName);
        Assert.Contains("pixels holds 833 bytes; 16 rows of 16 Rgb24 pixels, 52 bytes apart, need 832 (828 without the last row's padding).", padded.Message);
        var rowBytes = Assert.Throws<ArgumentOutOfRangeException>(() => input.Prepare(new byte[16 * 40], 16, 16, 40, OfaPixelFormat.Rgb24, new float[144]));
        Assert.Equal("rowBytes", rowBytes.ParamName);
        Assert.Contains("rowBytes 40 is less than a row of 16 Rgb24 pixels (48 bytes)", rowBytes.Message);
        var destination = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[16 * 16 * 4], 16, 16, OfaPixelFormat.Rgba32, new float[143]));
        Assert.Equal("destination", destination.ParamName);
        Assert.Contains("destination holds 143 floats; [1, 1, 12, 12] needs 144", destination.Message);
        var format = Assert.Throws<ArgumentOutOfRangeException>(() => input.Prepare(new byte[16 * 16], 16, 16, (OfaPixelFormat)9, new float[144]));
        Assert.Equal("format", format.ParamName);
        // The last row without its padding is what some decoders hand out: accepted.
        input.Prepare(new byte[15 * 52 + 48], 16, 16, 52, OfaPixelFormat.Rgb24, new float[144]);
    }

    [Fact]
    public void Interleaved_pixels_for_a_model_of_neither_1_nor_3_channels_ask_for_planar_ones()
    {
        var input = new OfaInputInfo { Channels = 4, Resolution = 2, Mean = [0, 0, 0, 0], Std = [1, 1, 1, 1] };
        var e = Assert.Throws<ArgumentException>(() => input.Prepare(new byte[4 * 4 * 4], 4, 4, OfaPixelFormat.Rgba32, new float[16]));
        Assert.Equal("format", e.ParamName);
        Assert.Contains("Rgba32 pixels feed a model of 1 or 3 channels; this one takes 4: pass planar pixels [4, 4, 4].", e.Message);
    }
}
