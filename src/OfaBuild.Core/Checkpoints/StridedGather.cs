namespace OfaBuild.Core.Checkpoints;

/// <summary>Copies a strided view of a storage into contiguous row-major bytes (what <see cref="Tensors.Tensor"/> holds).</summary>
internal static class StridedGather
{
    /// <summary>
    /// Bytes of the view (<paramref name="offset"/>, <paramref name="size"/>, <paramref name="stride"/>, all in elements)
    /// of a storage. The caller has checked that every addressed element lies inside <paramref name="storage"/>.
    /// </summary>
    public static byte[] Gather(ReadOnlySpan<byte> storage, int elementSize, long offset, int[] size, long[] stride, long numel)
    {
        var result = new byte[checked(numel * elementSize)];
        if (numel == 0) return result;
        if (IsContiguous(size, stride))
        {
            storage.Slice(checked((int)(offset * elementSize)), result.Length).CopyTo(result);
            return result;
        }

        // Odometer over the indices, keeping the storage position in step with it.
        var index = new int[size.Length];
        long pos = offset;
        for (long i = 0; i < numel; i++)
        {
            storage.Slice((int)(pos * elementSize), elementSize).CopyTo(result.AsSpan((int)(i * elementSize), elementSize));
            for (int d = size.Length - 1; d >= 0; d--)
            {
                if (++index[d] < size[d]) { pos += stride[d]; break; }
                pos -= stride[d] * (size[d] - 1);
                index[d] = 0;
            }
        }
        return result;
    }

    /// <summary>Row-major contiguous; dimensions of size 1 may have any stride (as PyTorch allows).</summary>
    public static bool IsContiguous(int[] size, long[] stride)
    {
        long expected = 1;
        for (int d = size.Length - 1; d >= 0; d--)
        {
            if (size[d] != 1 && stride[d] != expected) return false;
            expected *= size[d];
        }
        return true;
    }
}
