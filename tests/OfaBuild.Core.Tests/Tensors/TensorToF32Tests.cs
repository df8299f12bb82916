using System.Runtime.InteropServices;

namespace OfaBuild.Core.Tests.Tensors;

/// <summary>Widening half-precision (and double) checkpoints to the F32 that extraction and export work on.</summary>
public class TensorToF32Tests
{
    [Fact]
    public void F16_widens_exactly_including_subnormals_infinity_and_negative_zero()
    {
        // 1, -2, the largest half (65504), the smallest subnormal (2^-24), +inf, -0
        ushort[] bits = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000];
        var t = Tensor.FromBytes(DType.F16, [2, 3], MemoryMarshal.AsBytes(bits.AsSpan())).ToF32();
        Assert.Equal(DType.F32, t.DType);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal([1f, -2f, 65504f, MathF.Pow(2, -24), float.PositiveInfinity, -0f], t.F32);
        Assert.True(float.IsNegative(t.F32[5]));
    }

    [Fact]
    public void BF16_keeps_the_upper_half_of_the_float_bits()
    {
        ushort[] bits = [0x3F80, 0xC040, 0x3EAB];
        var t = Tensor.FromBytes(DType.BF16, [3], MemoryMarshal.AsBytes(bits.AsSpan())).ToF32();
        Assert.Equal([1f, -3f, BitConverter.Int32BitsToSingle(0x3EAB0000)], t.F32);
    }

    [Fact]
    public void F64_rounds_to_the_nearest_float()
    {
        double[] values = [0.1, -1e300, 3.0];
        var t = Tensor.FromBytes(DType.F64, [3], MemoryMarshal.AsBytes(values.AsSpan())).ToF32();
        Assert.Equal([0.1f, float.NegativeInfinity, 3f], t.F32);
    }

    [Fact]
    public void F32_is_returned_as_is_and_integers_are_refused()
    {
        var f = Tensor.FromFloats([1], [7f]);
        Assert.Same(f, f.ToF32());
        var e = Assert.Throws<InvalidOperationException>(() => Tensor.FromBytes(DType.I64, [], new byte[8]).ToF32());
        Assert.Contains("I64", e.Message);
    }
}
