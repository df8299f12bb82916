using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// Row-major float matrix products for the predictor MLP. Every output element is accumulated in
/// ascending k order with fused multiply-add, starting from its bias: SIMD lanes are independent
/// columns, so the 512-, 256-, 128-bit and scalar paths give bit-identical results on every machine.
/// The hot loops are compiled optimised from the first call (a short `ofa search` process would otherwise
/// spend much of its time in tier-0 code).
/// </summary>
internal static class DenseKernels
{
    /// <summary>C[m,n] = act(bias[n] + A[m,k] B[k,n]); <paramref name="bias"/> may be empty (zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int k, int n, ReadOnlySpan<float> bias, bool relu)
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n || (!bias.IsEmpty && bias.Length < n))
            throw new ArgumentException("Matrix buffers are smaller than their shapes.");
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        ref float rc = ref MemoryMarshal.GetReference(c);
        ref float rbias = ref MemoryMarshal.GetReference(bias);
        bool hasBias = !bias.IsEmpty;

        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 32 <= n; j += 32)
                Columns512(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
        if (Vector256.IsHardwareAccelerated)
            for (; j + 16 <= n; j += 16)
                Columns256(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
        for (; j < n; j++)
            ColumnScalar(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns512(ref float a, ref float b, ref float c, ref float bias, bool hasBias, bool relu, int m, int k, int n, int j)
    {
        var init0 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)j) : Vector512<float>.Zero;
        var init1 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + 16)) : Vector512<float>.Zero;
        int i = 0;
        // 8 rows x 32 columns: 16 accumulators, each B vector loaded once per 8 rows.
        for (; i + 8 <= m; i += 8)
        {
            Vector512<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            Vector512<float> c40 = init0, c41 = init1, c50 = init0, c51 = init1, c60 = init0, c61 = init1, c70 = init0, c71 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var b0 = Vector512.LoadUnsafe(ref b, off);
                var b1 = Vector512.LoadUnsafe(ref b, off + 16);
                ref float ap = ref Unsafe.Add(ref a0, p);
                var x = Vector512.Create(ap);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(Unsafe.Add(ref ap, k));
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(Unsafe.Add(ref ap, 2 * k));
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(Unsafe.Add(ref ap, 3 * k));
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
                x = Vector512.Create(Unsafe.Add(ref ap, 4 * k));
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
                x = Vector512.Create(Unsafe.Add(ref ap, 5 * k));
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
                x = Vector512.Create(Unsafe.Add(ref ap, 6 * k));
                c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
                x = Vector512.Create(Unsafe.Add(ref ap, 7 * k));
                c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            }
            Store512(ref c, (i + 0) * n + j, c00, c01, relu);
            Store512(ref c, (i + 1) * n + j, c10, c11, relu);
            Store512(ref c, (i + 2) * n + j, c20, c21, relu);
            Store512(ref c, (i + 3) * n + j, c30, c31, relu);
            Store512(ref c, (i + 4) * n + j, c40, c41, relu);
            Store512(ref c, (i + 5) * n + j, c50, c51, relu);
            Store512(ref c, (i + 6) * n + j, c60, c61, relu);
            Store512(ref c, (i + 7) * n + j, c70, c71, relu);
        }
        for (; i + 4 <= m; i += 4)
        {
            Vector512<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            ref float a1 = ref Unsafe.Add(ref a0, k);
            ref float a2 = ref Unsafe.Add(ref a1, k);
            ref float a3 = ref Unsafe.Add(ref a2, k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var b0 = Vector512.LoadUnsafe(ref b, off);
                var b1 = Vector512.LoadUnsafe(ref b, off + 16);
                var x = Vector512.Create(Unsafe.Add(ref a0, p));
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
                x = Vector512.Create(Unsafe.Add(ref a1, p));
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
                x = Vector512.Create(Unsafe.Add(ref a2, p));
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
                x = Vector512.Create(Unsafe.Add(ref a3, p));
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            }
            Store512(ref c, (i + 0) * n + j, c00, c01, relu);
            Store512(ref c, (i + 1) * n + j, c10, c11, relu);
            Store512(ref c, (i + 2) * n + j, c20, c21, relu);
            Store512(ref c, (i + 3) * n + j, c30, c31, relu);
        }
        for (; i < m; i++)
        {
            Vector512<float> c0 = init0, c1 = init1;
            ref float ai = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var x = Vector512.Create(Unsafe.Add(ref ai, p));
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b, off), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref b, off + 16), c1);
            }
            Store512(ref c, i * n + j, c0, c1, relu);
        }
    }

    private static void Store512(ref float c, int offset, Vector512<float> v0, Vector512<float> v1, bool relu)
    {
        if (relu)
        {
            v0 = Vector512.Max(v0, Vector512<float>.Zero);
            v1 = Vector512.Max(v1, Vector512<float>.Zero);
        }
        v0.StoreUnsafe(ref c, (nuint)offset);
        v1.StoreUnsafe(ref c, (nuint)(offset + 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns256(ref float a, ref float b, ref float c, ref float bias, bool hasBias, bool relu, int m, int k, int n, int j)
    {
        var init0 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)j) : Vector256<float>.Zero;
        var init1 = hasBias ? Vector256.LoadUnsafe(ref bias, (nuint)(j + 8)) : Vector256<float>.Zero;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Vector256<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            ref float a1 = ref Unsafe.Add(ref a0, k);
            ref float a2 = ref Unsafe.Add(ref a1, k);
            ref float a3 = ref Unsafe.Add(ref a2, k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var b0 = Vector256.LoadUnsafe(ref b, off);
                var b1 = Vector256.LoadUnsafe(ref b, off + 8);
                var x = Vector256.Create(Unsafe.Add(ref a0, p));
                c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(Unsafe.Add(ref a1, p));
                c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(Unsafe.Add(ref a2, p));
                c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(Unsafe.Add(ref a3, p));
                c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            }
            Store256(ref c, (i + 0) * n + j, c00, c01, relu);
            Store256(ref c, (i + 1) * n + j, c10, c11, relu);
            Store256(ref c, (i + 2) * n + j, c20, c21, relu);
            Store256(ref c, (i + 3) * n + j, c30, c31, relu);
        }
        for (; i < m; i++)
        {
            Vector256<float> c0 = init0, c1 = init1;
            ref float ai = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var x = Vector256.Create(Unsafe.Add(ref ai, p));
                c0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref b, off), c0);
                c1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref b, off + 8), c1);
            }
            Store256(ref c, i * n + j, c0, c1, relu);
        }
    }

    private static void Store256(ref float c, int offset, Vector256<float> v0, Vector256<float> v1, bool relu)
    {
        if (relu)
        {
            v0 = Vector256.Max(v0, Vector256<float>.Zero);
            v1 = Vector256.Max(v1, Vector256<float>.Zero);
        }
        v0.StoreUnsafe(ref c, (nuint)offset);
        v1.StoreUnsafe(ref c, (nuint)(offset + 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnScalar(ref float a, ref float b, ref float c, ref float bias, bool hasBias, bool relu, int m, int k, int n, int j)
    {
        float init = hasBias ? Unsafe.Add(ref bias, j) : 0f;
        for (int i = 0; i < m; i++)
        {
            float acc = init;
            ref float ai = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
                acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref ai, p), Unsafe.Add(ref b, p * n + j), acc);
            Unsafe.Add(ref c, i * n + j) = relu ? MathF.Max(acc, 0f) : acc;
        }
    }

    /// <summary>dst[j] += src[j]; what a one-hot input row contributes (fma(1, w, acc) is exactly acc + w).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddInPlace(Span<float> dst, ReadOnlySpan<float> src)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i + Vector<float>.Count <= dst.Length; i += Vector<float>.Count)
                (new Vector<float>(dst[i..]) + new Vector<float>(src[i..])).CopyTo(dst[i..]);
        for (; i < dst.Length; i++) dst[i] += src[i];
    }

    public static void Relu(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++) if (!(x[i] > 0f)) x[i] = 0f;
    }

    /// <summary>dst[cols, rows] = src[rows, cols]ᵀ.</summary>
    public static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[c * rows + r] = src[r * cols + c];
    }

    /// <summary>Fixed-order dot product with fused multiply-add (the output layer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> w, float init)
    {
        float acc = init;
        for (int i = 0; i < x.Length; i++) acc = MathF.FusedMultiplyAdd(x[i], w[i], acc);
        return acc;
    }
}
