using System.Runtime.InteropServices;

namespace OfaBuild.Core.Tensors;

/// <summary>
/// A dense, row-major, little-endian tensor. F32 tensors keep a <c>float[]</c> (what extraction
/// and export work on); other types keep their raw bytes.
/// </summary>
public sealed class Tensor
{
    private readonly float[]? _f32;
    private readonly byte[]? _raw;

    public DType DType { get; }
    public int[] Shape { get; }
    public long ElementCount { get; }

    private Tensor(DType dtype, int[] shape, float[]? f32, byte[]? raw)
    {
        DType = dtype;
        Shape = shape;
        ElementCount = CountElements(shape);
        _f32 = f32;
        _raw = raw;
    }

    public static long CountElements(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException("Negative dimension in shape.");
            n = checked(n * d);
        }
        return n;
    }

    public static Tensor FromFloats(int[] shape, float[] data)
    {
        if (CountElements(shape) != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {CountElements(shape)} values, got {data.Length}.");
        return new Tensor(DType.F32, shape, data, null);
    }

    /// <summary>Wraps raw little-endian bytes; F32 is converted to a float array.</summary>
    public static Tensor FromBytes(DType dtype, int[] shape, ReadOnlySpan<byte> bytes)
    {
        long expected = checked(CountElements(shape) * dtype.Size());
        if (expected != bytes.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] of {dtype.Name()} needs {expected} bytes, got {bytes.Length}.");
        if (dtype == DType.F32)
            return new Tensor(dtype, shape, MemoryMarshal.Cast<byte, float>(bytes).ToArray(), null);
        return new Tensor(dtype, shape, null, bytes.ToArray());
    }

    /// <summary>
    /// This tensor as F32: F16 and BF16 widen exactly, F64 rounds to nearest; F32 is returned as is.
    /// Checkpoints are often saved in half precision; extraction and export work on F32.
    /// </summary>
    public Tensor ToF32() => DType switch
    {
        DType.F32 => this,
        DType.F16 => FromFloats(Shape, Widen(MemoryMarshal.Cast<byte, Half>(Bytes), h => (float)h)),
        DType.BF16 => FromFloats(Shape, Widen(MemoryMarshal.Cast<byte, ushort>(Bytes), b => BitConverter.Int32BitsToSingle(b << 16))),
        DType.F64 => FromFloats(Shape, Widen(MemoryMarshal.Cast<byte, double>(Bytes), d => (float)d)),
        _ => throw new InvalidOperationException($"Tensor is {DType.Name()}, not a floating-point type."),
    };

    private static float[] Widen<T>(ReadOnlySpan<T> values, Func<T, float> widen)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = widen(values[i]);
        return result;
    }

    /// <summary>The values of an F32 tensor.</summary>
    public float[] F32 => _f32 ?? throw new InvalidOperationException($"Tensor is {DType.Name()}, not F32.");

    /// <summary>The raw little-endian bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _f32 is not null ? MemoryMarshal.AsBytes(_f32.AsSpan()) : _raw;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public bool ShapeEquals(ReadOnlySpan<int> other) => Shape.AsSpan().SequenceEqual(other);
}
