using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// Row-major float matrix products for the predictor MLP. Every output element is accumulated in
/// ascending k order with fused multiply-add, starting from its bias: SIMD lanes are independent
/// columns, so the 512-, 256-bit and scalar paths give bit-identical results on every machine.
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
        {
            for (; j + 4 * Vector512<float>.Count <= n; j += 4 * Vector512<float>.Count)
                Columns4x512(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
            for (; j + 2 * Vector512<float>.Count <= n; j += 2 * Vector512<float>.Count)
                Columns<Lanes512, Vector512<float>>(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
        }
        if (Vector256.IsHardwareAccelerated)
            for (; j + 2 * Vector256<float>.Count <= n; j += 2 * Vector256<float>.Count)
                Columns<Lanes256, Vector256<float>>(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
        for (; j < n; j++)
            ColumnScalar(ref ra, ref rb, ref rc, ref rbias, hasBias, relu, m, k, n, j);
    }

    /// <summary>
    /// relu(bias[n] + A[m,k] B[k,n]) as <see cref="MatMul"/> gives it, to the bit, for a finite <paramref name="b"/>, but
    /// without the products of inputs that are zero in every row of a four-row tile (the predictor's hidden layers take
    /// ReLU outputs: 59% of them are zero, and 45% of a tile's columns on the Note10 search). fma(0, b, acc) is acc for
    /// finite b and acc != 0; at acc = ±0 only the sign of the zero may differ, which max(acc, +0) erases. So a row's
    /// result does not depend on which rows share its tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MatMulReluSkippingZeros(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int k, int n, ReadOnlySpan<float> bias)
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n || (!bias.IsEmpty && bias.Length < n))
            throw new ArgumentException("Matrix buffers are smaller than their shapes.");
        // Per four-row tile, then per leftover row: the inputs not zero in all its rows (NaN counts as not zero).
        int tiles = m / 4, groups = tiles + m % 4;
        var inputs = ArrayPool<int>.Shared.Rent(groups * k);
        var counts = ArrayPool<int>.Shared.Rent(groups);
        try
        {
            for (int g = 0; g < groups; g++)
                counts[g] = NonZeroInputs(a, g < tiles ? 4 * g : 4 * tiles + (g - tiles), g < tiles ? 4 : 1, k, inputs.AsSpan(g * k, k));
            ref float ra = ref MemoryMarshal.GetReference(a);
            ref float rb = ref MemoryMarshal.GetReference(b);
            ref float rc = ref MemoryMarshal.GetReference(c);
            ref float rbias = ref MemoryMarshal.GetReference(bias);
            bool hasBias = !bias.IsEmpty;
            var lists = inputs.AsSpan(0, groups * k);
            var sizes = counts.AsSpan(0, groups);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; j + 2 * Vector512<float>.Count <= n; j += 2 * Vector512<float>.Count)
                    SparseColumns<Lanes512, Vector512<float>>(ref ra, ref rb, ref rc, ref rbias, hasBias, m, k, n, j, lists, sizes);
            if (Vector256.IsHardwareAccelerated)
                for (; j + 2 * Vector256<float>.Count <= n; j += 2 * Vector256<float>.Count)
                    SparseColumns<Lanes256, Vector256<float>>(ref ra, ref rb, ref rc, ref rbias, hasBias, m, k, n, j, lists, sizes);
            for (; j < n; j++)
                ColumnScalar(ref ra, ref rb, ref rc, ref rbias, hasBias, relu: true, m, k, n, j);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(inputs);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>The inputs p (ascending) where any of rows first .. first + rows of a[., k] is not zero (NaN is not); their count.</summary>
    private static int NonZeroInputs(ReadOnlySpan<float> a, int first, int rows, int k, Span<int> into)
    {
        int count = 0, p = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; p + Vector256<float>.Count <= k; p += Vector256<float>.Count)
            {
                uint zero = (1u << Vector256<float>.Count) - 1;
                for (int r = 0; r < rows; r++)
                    zero &= Vector256.Equals(Vector256.Create(a.Slice((first + r) * k + p, Vector256<float>.Count)), Vector256<float>.Zero).ExtractMostSignificantBits();
                for (uint any = ~zero & ((1u << Vector256<float>.Count) - 1); any != 0; any &= any - 1)
                    into[count++] = p + BitOperations.TrailingZeroCount(any);
            }
        for (; p < k; p++)
            for (int r = 0; r < rows; r++)
                if (a[(first + r) * k + p] != 0f)
                {
                    into[count++] = p;
                    break;
                }
        return count;
    }

    /// <summary>Columns j .. j + 2w of <see cref="MatMulReluSkippingZeros"/>: as <see cref="Columns"/>' four-row and one-row tiles, over each tile's listed inputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseColumns<TLanes, TVector>(ref float a, ref float b, ref float c, ref float bias, bool hasBias, int m, int k, int n, int j,
        ReadOnlySpan<int> inputs, ReadOnlySpan<int> counts)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        nuint w = (nuint)(Unsafe.SizeOf<TVector>() / sizeof(float));
        var init0 = hasBias ? Load<TVector>(ref bias, (nuint)j) : default;
        var init1 = hasBias ? Load<TVector>(ref bias, (nuint)j + w) : default;
        int tiles = m / 4;
        for (int t = 0; t < tiles; t++)
        {
            int i = 4 * t;
            TVector c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            foreach (int p in inputs.Slice(t * k, counts[t]))
                Tile4Input<TLanes, TVector>(ref a0, k, p, ref b, (nuint)(p * n + j), w, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 0) * n + j), w, c00, c01, relu: true);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 1) * n + j), w, c10, c11, relu: true);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 2) * n + j), w, c20, c21, relu: true);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 3) * n + j), w, c30, c31, relu: true);
        }
        for (int i = 4 * tiles, g = tiles; i < m; i++, g++)
        {
            TVector c0 = init0, c1 = init1;
            ref float ai = ref Unsafe.Add(ref a, i * k);
            foreach (int p in inputs.Slice(g * k, counts[g]))
            {
                nuint off = (nuint)(p * n + j);
                var x = TLanes.Broadcast(Unsafe.Add(ref ai, p));
                c0 = TLanes.FusedMultiplyAdd(x, Load<TVector>(ref b, off), c0);
                c1 = TLanes.FusedMultiplyAdd(x, Load<TVector>(ref b, off + w), c1);
            }
            StorePair<TLanes, TVector>(ref c, (nuint)(i * n + j), w, c0, c1, relu: true);
        }
    }

    /// <summary>
    /// What <see cref="Columns"/> and <see cref="SumRowsRelu"/> need beyond loads and stores, per vector width (ReLU against a literal zero, which
    /// the JIT compiles to one max instruction). The kernel is generic over a
    /// struct, so the JIT compiles one specialised copy per width, as fast as a hand-written one.
    /// </summary>
    private interface ILanes<TVector> where TVector : struct
    {
        static abstract TVector Broadcast(float value);
        static abstract TVector FusedMultiplyAdd(TVector left, TVector right, TVector addend);
        static abstract TVector Add(TVector left, TVector right);
        static abstract TVector Relu(TVector value);
    }

    private readonly struct Lanes512 : ILanes<Vector512<float>>
    {
        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
        public static Vector512<float> FusedMultiplyAdd(Vector512<float> left, Vector512<float> right, Vector512<float> addend) => Vector512.FusedMultiplyAdd(left, right, addend);
        public static Vector512<float> Relu(Vector512<float> value) => Vector512.Max(value, Vector512<float>.Zero);
        public static Vector512<float> Add(Vector512<float> left, Vector512<float> right) => left + right;
    }

    private readonly struct Lanes256 : ILanes<Vector256<float>>
    {
        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
        public static Vector256<float> FusedMultiplyAdd(Vector256<float> left, Vector256<float> right, Vector256<float> addend) => Vector256.FusedMultiplyAdd(left, right, addend);
        public static Vector256<float> Relu(Vector256<float> value) => Vector256.Max(value, Vector256<float>.Zero);
        public static Vector256<float> Add(Vector256<float> left, Vector256<float> right) => left + right;
    }

    /// <summary>
    /// Columns j .. j + 2w of C (w = lanes of <typeparamref name="TVector"/>): eight rows (at 512 bits), then four, at a time
    /// share each loaded pair of B vectors, then the rows left over one at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns<TLanes, TVector>(ref float a, ref float b, ref float c, ref float bias, bool hasBias, bool relu, int m, int k, int n, int j)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        nuint w = (nuint)(Unsafe.SizeOf<TVector>() / sizeof(float));
        var init0 = hasBias ? Load<TVector>(ref bias, (nuint)j) : default;
        var init1 = hasBias ? Load<TVector>(ref bias, (nuint)j + w) : default;
        int i = 0;
        // 8 rows x 2w columns: 16 accumulators, each B vector loaded once per 8 rows. Only at 512 bits, where
        // 32 vector registers hold them; at 256 bits (AVX2's 16 registers) they would spill.
        for (; Unsafe.SizeOf<TVector>() == 64 && i + 8 <= m; i += 8)
        {
            TVector c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            TVector c40 = init0, c41 = init1, c50 = init0, c51 = init1, c60 = init0, c61 = init1, c70 = init0, c71 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var b0 = Load<TVector>(ref b, off);
                var b1 = Load<TVector>(ref b, off + w);
                ref float ap = ref Unsafe.Add(ref a0, p);
                var x = TLanes.Broadcast(ap);
                c00 = TLanes.FusedMultiplyAdd(x, b0, c00); c01 = TLanes.FusedMultiplyAdd(x, b1, c01);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, k));
                c10 = TLanes.FusedMultiplyAdd(x, b0, c10); c11 = TLanes.FusedMultiplyAdd(x, b1, c11);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 2 * k));
                c20 = TLanes.FusedMultiplyAdd(x, b0, c20); c21 = TLanes.FusedMultiplyAdd(x, b1, c21);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 3 * k));
                c30 = TLanes.FusedMultiplyAdd(x, b0, c30); c31 = TLanes.FusedMultiplyAdd(x, b1, c31);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 4 * k));
                c40 = TLanes.FusedMultiplyAdd(x, b0, c40); c41 = TLanes.FusedMultiplyAdd(x, b1, c41);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 5 * k));
                c50 = TLanes.FusedMultiplyAdd(x, b0, c50); c51 = TLanes.FusedMultiplyAdd(x, b1, c51);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 6 * k));
                c60 = TLanes.FusedMultiplyAdd(x, b0, c60); c61 = TLanes.FusedMultiplyAdd(x, b1, c61);
                x = TLanes.Broadcast(Unsafe.Add(ref ap, 7 * k));
                c70 = TLanes.FusedMultiplyAdd(x, b0, c70); c71 = TLanes.FusedMultiplyAdd(x, b1, c71);
            }
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 0) * n + j), w, c00, c01, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 1) * n + j), w, c10, c11, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 2) * n + j), w, c20, c21, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 3) * n + j), w, c30, c31, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 4) * n + j), w, c40, c41, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 5) * n + j), w, c50, c51, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 6) * n + j), w, c60, c61, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 7) * n + j), w, c70, c71, relu);
        }
        for (; i + 4 <= m; i += 4)
        {
            TVector c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
            ref float a0 = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
                Tile4Input<TLanes, TVector>(ref a0, k, p, ref b, (nuint)(p * n + j), w, ref c00, ref c01, ref c10, ref c11, ref c20, ref c21, ref c30, ref c31);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 0) * n + j), w, c00, c01, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 1) * n + j), w, c10, c11, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 2) * n + j), w, c20, c21, relu);
            StorePair<TLanes, TVector>(ref c, (nuint)((i + 3) * n + j), w, c30, c31, relu);
        }
        for (; i < m; i++)
        {
            TVector c0 = init0, c1 = init1;
            ref float ai = ref Unsafe.Add(ref a, i * k);
            for (int p = 0; p < k; p++)
            {
                nuint off = (nuint)(p * n + j);
                var x = TLanes.Broadcast(Unsafe.Add(ref ai, p));
                c0 = TLanes.FusedMultiplyAdd(x, Load<TVector>(ref b, off), c0);
                c1 = TLanes.FusedMultiplyAdd(x, Load<TVector>(ref b, off + w), c1);
            }
            StorePair<TLanes, TVector>(ref c, (nuint)(i * n + j), w, c0, c1, relu);
        }
    }

    /// <summary>One input p of a four-row tile (rows a0, a0 + k, ...): the pair of B vectors at off times each row's input, added to its accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4Input<TLanes, TVector>(ref float a0, int k, int p, ref float b, nuint off, nuint w,
        ref TVector c00, ref TVector c01, ref TVector c10, ref TVector c11, ref TVector c20, ref TVector c21, ref TVector c30, ref TVector c31)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        var b0 = Load<TVector>(ref b, off);
        var b1 = Load<TVector>(ref b, off + w);
        var x = TLanes.Broadcast(Unsafe.Add(ref a0, p));
        c00 = TLanes.FusedMultiplyAdd(x, b0, c00); c01 = TLanes.FusedMultiplyAdd(x, b1, c01);
        x = TLanes.Broadcast(Unsafe.Add(ref a0, k + p));
        c10 = TLanes.FusedMultiplyAdd(x, b0, c10); c11 = TLanes.FusedMultiplyAdd(x, b1, c11);
        x = TLanes.Broadcast(Unsafe.Add(ref a0, 2 * k + p));
        c20 = TLanes.FusedMultiplyAdd(x, b0, c20); c21 = TLanes.FusedMultiplyAdd(x, b1, c21);
        x = TLanes.Broadcast(Unsafe.Add(ref a0, 3 * k + p));
        c30 = TLanes.FusedMultiplyAdd(x, b0, c30); c31 = TLanes.FusedMultiplyAdd(x, b1, c31);
    }

    /// <summary>
    /// Columns j .. j + 64 of C with 512-bit vectors: six rows at a time share each loaded quadruple of B vectors (24
    /// accumulators, 4 B vectors and a broadcast fit AVX-512's 32 registers), then two, then one: a generation's batch
    /// (30 new subnets on average in the Note10 search) is mostly six-row tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns4x512(ref float a, ref float b, ref float c, ref float bias, bool hasBias, bool relu, int m, int k, int n, int j)
    {
        const int w = 16;
        var i0 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)j) : default;
        var i1 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + w)) : default;
        var i2 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + 2 * w)) : default;
        var i3 = hasBias ? Vector512.LoadUnsafe(ref bias, (nuint)(j + 3 * w)) : default;
        int i = 0;
        for (; i + 6 <= m; i += 6)
        {
            Vector512<float> c00 = i0, c01 = i1, c02 = i2, c03 = i3, c10 = i0, c11 = i1, c12 = i2, c13 = i3;
            Vector512<float> c20 = i0, c21 = i1, c22 = i2, c23 = i3, c30 = i0, c31 = i1, c32 = i2, c33 = i3;
            Vector512<float> c40 = i0, c41 = i1, c42 = i2, c43 = i3, c50 = i0, c51 = i1, c52 = i2, c53 = i3;
            ref float ap = ref Unsafe.Add(ref a, i * k);
            ref float bp = ref Unsafe.Add(ref b, j);
            for (int p = 0; p < k; p++)
            {
                var b0 = Vector512.LoadUnsafe(ref bp);
                var b1 = Vector512.LoadUnsafe(ref bp, w);
                var b2 = Vector512.LoadUnsafe(ref bp, 2 * w);
                var b3 = Vector512.LoadUnsafe(ref bp, 3 * w);
                var x = Vector512.Create(ap);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01); c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(Unsafe.Add(ref ap, k));
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11); c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                x = Vector512.Create(Unsafe.Add(ref ap, 2 * k));
                c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21); c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
                x = Vector512.Create(Unsafe.Add(ref ap, 3 * k));
                c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31); c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
                x = Vector512.Create(Unsafe.Add(ref ap, 4 * k));
                c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41); c42 = Vector512.FusedMultiplyAdd(x, b2, c42); c43 = Vector512.FusedMultiplyAdd(x, b3, c43);
                x = Vector512.Create(Unsafe.Add(ref ap, 5 * k));
                c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51); c52 = Vector512.FusedMultiplyAdd(x, b2, c52); c53 = Vector512.FusedMultiplyAdd(x, b3, c53);
                ap = ref Unsafe.Add(ref ap, 1);
                bp = ref Unsafe.Add(ref bp, n);
            }
            ref float cr = ref Unsafe.Add(ref c, i * n + j);
            Store4(ref cr, c00, c01, c02, c03, relu);
            Store4(ref Unsafe.Add(ref cr, n), c10, c11, c12, c13, relu);
            Store4(ref Unsafe.Add(ref cr, 2 * n), c20, c21, c22, c23, relu);
            Store4(ref Unsafe.Add(ref cr, 3 * n), c30, c31, c32, c33, relu);
            Store4(ref Unsafe.Add(ref cr, 4 * n), c40, c41, c42, c43, relu);
            Store4(ref Unsafe.Add(ref cr, 5 * n), c50, c51, c52, c53, relu);
        }
        for (; i + 2 <= m; i += 2)
        {
            Vector512<float> c00 = i0, c01 = i1, c02 = i2, c03 = i3, c10 = i0, c11 = i1, c12 = i2, c13 = i3;
            ref float ap = ref Unsafe.Add(ref a, i * k);
            ref float bp = ref Unsafe.Add(ref b, j);
            for (int p = 0; p < k; p++)
            {
                var b0 = Vector512.LoadUnsafe(ref bp);
                var b1 = Vector512.LoadUnsafe(ref bp, w);
                var b2 = Vector512.LoadUnsafe(ref bp, 2 * w);
                var b3 = Vector512.LoadUnsafe(ref bp, 3 * w);
                var x = Vector512.Create(ap);
                c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01); c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
                x = Vector512.Create(Unsafe.Add(ref ap, k));
                c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11); c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
                ap = ref Unsafe.Add(ref ap, 1);
                bp = ref Unsafe.Add(ref bp, n);
            }
            ref float cr = ref Unsafe.Add(ref c, i * n + j);
            Store4(ref cr, c00, c01, c02, c03, relu);
            Store4(ref Unsafe.Add(ref cr, n), c10, c11, c12, c13, relu);
        }
        for (; i < m; i++)
        {
            Vector512<float> c0 = i0, c1 = i1, c2 = i2, c3 = i3;
            ref float ap = ref Unsafe.Add(ref a, i * k);
            ref float bp = ref Unsafe.Add(ref b, j);
            for (int p = 0; p < k; p++)
            {
                var x = Vector512.Create(Unsafe.Add(ref ap, p));
                c0 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref bp), c0);
                c1 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref bp, w), c1);
                c2 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref bp, 2 * w), c2);
                c3 = Vector512.FusedMultiplyAdd(x, Vector512.LoadUnsafe(ref bp, 3 * w), c3);
                bp = ref Unsafe.Add(ref bp, n);
            }
            Store4(ref Unsafe.Add(ref c, i * n + j), c0, c1, c2, c3, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(ref float c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, bool relu)
    {
        if (relu)
        {
            v0 = Vector512.Max(v0, Vector512<float>.Zero);
            v1 = Vector512.Max(v1, Vector512<float>.Zero);
            v2 = Vector512.Max(v2, Vector512<float>.Zero);
            v3 = Vector512.Max(v3, Vector512<float>.Zero);
        }
        v0.StoreUnsafe(ref c);
        v1.StoreUnsafe(ref c, 16);
        v2.StoreUnsafe(ref c, 32);
        v3.StoreUnsafe(ref c, 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Load<TVector>(ref float source, nuint offset) where TVector : struct =>
        Unsafe.ReadUnaligned<TVector>(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair<TLanes, TVector>(ref float c, nuint offset, nuint w, TVector v0, TVector v1, bool relu)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        if (relu)
        {
            v0 = TLanes.Relu(v0);
            v1 = TLanes.Relu(v1);
        }
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref c, offset)), v0);
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref c, offset + w)), v1);
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

    /// <summary>
    /// dst = relu(bias + w[rows[0]] + w[rows[1]] + ...), each weight row <c>dst.Length</c> wide and added in the order given:
    /// the first layer of a one-hot input, equal to the bit to adding the rows one by one (<see cref="AddInPlace"/>)
    /// and then zeroing what is not positive, but four vectors of columns stay in registers across all the rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumRowsRelu(ReadOnlySpan<float> bias, ReadOnlySpan<float> w, ReadOnlySpan<int> rows, Span<float> dst)
    {
        int n = dst.Length;
        if (bias.Length < n) throw new ArgumentException("Bias is shorter than the output row.");
        foreach (int r in rows)
            if (r < 0 || (long)(r + 1) * n > w.Length) throw new ArgumentOutOfRangeException(nameof(rows), $"Row {r} is outside the weights.");
        ref float rb = ref MemoryMarshal.GetReference(bias);
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float rd = ref MemoryMarshal.GetReference(dst);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + 4 * Vector512<float>.Count <= n; j += 4 * Vector512<float>.Count)
                SumRowsRelu4<Lanes512, Vector512<float>>(ref rb, ref rw, rows, ref rd, n, j);
            for (; j + Vector512<float>.Count <= n; j += Vector512<float>.Count)
                SumRowsRelu1<Lanes512, Vector512<float>>(ref rb, ref rw, rows, ref rd, n, j);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; j + 4 * Vector256<float>.Count <= n; j += 4 * Vector256<float>.Count)
                SumRowsRelu4<Lanes256, Vector256<float>>(ref rb, ref rw, rows, ref rd, n, j);
            for (; j + Vector256<float>.Count <= n; j += Vector256<float>.Count)
                SumRowsRelu1<Lanes256, Vector256<float>>(ref rb, ref rw, rows, ref rd, n, j);
        }
        for (; j < n; j++)
        {
            float acc = Unsafe.Add(ref rb, j);
            foreach (int r in rows) acc += Unsafe.Add(ref rw, r * n + j);
            Unsafe.Add(ref rd, j) = acc > 0f ? acc : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumRowsRelu4<TLanes, TVector>(ref float bias, ref float w, ReadOnlySpan<int> rows, ref float dst, int n, int j)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        nuint v = (nuint)(Unsafe.SizeOf<TVector>() / sizeof(float)), at = (nuint)j;
        TVector a0 = Load<TVector>(ref bias, at), a1 = Load<TVector>(ref bias, at + v);
        TVector a2 = Load<TVector>(ref bias, at + 2 * v), a3 = Load<TVector>(ref bias, at + 3 * v);
        foreach (int r in rows)
        {
            nuint off = (nuint)(r * n + j);
            a0 = TLanes.Add(a0, Load<TVector>(ref w, off));
            a1 = TLanes.Add(a1, Load<TVector>(ref w, off + v));
            a2 = TLanes.Add(a2, Load<TVector>(ref w, off + 2 * v));
            a3 = TLanes.Add(a3, Load<TVector>(ref w, off + 3 * v));
        }
        StorePair<TLanes, TVector>(ref dst, at, v, a0, a1, relu: true);
        StorePair<TLanes, TVector>(ref dst, at + 2 * v, v, a2, a3, relu: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumRowsRelu1<TLanes, TVector>(ref float bias, ref float w, ReadOnlySpan<int> rows, ref float dst, int n, int j)
        where TLanes : struct, ILanes<TVector> where TVector : struct
    {
        TVector a = Load<TVector>(ref bias, (nuint)j);
        foreach (int r in rows) a = TLanes.Add(a, Load<TVector>(ref w, (nuint)(r * n + j)));
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref dst, j)), TLanes.Relu(a));
    }

    /// <summary>
    /// result[i] = <see cref="Dot"/>(row i of x, w, init) for <paramref name="m"/> rows of <c>w.Length</c>: four rows'
    /// chains of fused multiply-adds interleaved (each in the same order as <see cref="Dot"/>, so the same to the bit),
    /// which hides the latency one chain alone waits on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotRows(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int m, float init, Span<float> result)
    {
        int k = w.Length;
        if (x.Length < m * k || result.Length < m) throw new ArgumentException("Buffers are smaller than their shapes.");
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float rw = ref MemoryMarshal.GetReference(w);
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            ref float x0 = ref Unsafe.Add(ref rx, i * k);
            ref float x1 = ref Unsafe.Add(ref x0, k);
            ref float x2 = ref Unsafe.Add(ref x1, k);
            ref float x3 = ref Unsafe.Add(ref x2, k);
            float c0 = init, c1 = init, c2 = init, c3 = init;
            for (int p = 0; p < k; p++)
            {
                float wp = Unsafe.Add(ref rw, p);
                c0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x0, p), wp, c0);
                c1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x1, p), wp, c1);
                c2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x2, p), wp, c2);
                c3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref x3, p), wp, c3);
            }
            (result[i], result[i + 1], result[i + 2], result[i + 3]) = (c0, c1, c2, c3);
        }
        for (; i < m; i++) result[i] = Dot(x.Slice(i * k, k), w, init);
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
