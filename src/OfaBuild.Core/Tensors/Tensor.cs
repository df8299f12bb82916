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

    /// <summary>The values of an F32 tensor.</summary>
    public float[] F32 => _f32 ?? throw new InvalidOperationException($"Tensor is {DType.Name()}, not F32.");

    /// <summary>The raw little-endian bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _f32 is not null ? MemoryMarshal.AsBytes(_f32.AsSpan()) : _raw;

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public bool ShapeEquals(ReadOnlySpan<int> other) => Shape.AsSpan().SequenceEqual(other);
}
