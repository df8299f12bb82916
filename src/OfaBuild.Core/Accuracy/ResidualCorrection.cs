using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Accuracy;

/// <summary>
/// A correction of the MLP by its residuals at measured subnets: the posterior mean of a Gaussian process (kriging)
/// over the one-hot encoding, correction(x) = sum_i alpha_i k(x, x_i) with k = exp(-d^2 / (2 l^2)) and
/// alpha = (K + lambda I)^-1 r. The MLP fits the smooth surface of the space; subnets the training schedule favours
/// (progressive shrinking trains the largest and smallest at every step) sit above it, and only a correction that
/// returns close to the measurement at a measured subnet, decaying away from it, lets the search find them.
/// On one-hot rows d^2 is the number of differing features, an integer, so the kernel is a table lookup and a
/// query costs one pass over the stored points per active feature (as the MLP's first layer).
/// Anchors (the subnets the sandwich rule trains at every step) may sit above even their neighbours: each gets an
/// own term, a kernel component that is its alone (own_i at d = 0, nothing elsewhere), so its measurement is
/// returned at the anchor without spreading into its corner of the space. Leave-one-out cannot see such a term
/// (a left-out point loses it), so its size comes from the anchors' leave-one-out errors in excess of the
/// other subnets' (method of moments; see <see cref="Fit"/>).
/// </summary>
public sealed class ResidualCorrection
{
    public const string Scheme = "rbf-kriging-v1";
    public const string PointsName = "residual.points";
    public const string AlphaName = "residual.alpha";
    public const string KernelName = "residual.kernel";
    /// <summary>Optional: each point's own term relative to the kernel's variance (absent = none, as before anchors had one).</summary>
    public const string OwnName = "residual.own";

    /// <summary>Length scale l of the RBF kernel, in one-hot features (sqrt of the differing count).</summary>
    public double LengthScale { get; }
    /// <summary>Noise variance relative to the kernel's (lambda): 0 interpolates, larger smooths.</summary>
    public double NoiseRatio { get; }
    public int Count => _alpha.Length;
    /// <summary>The anchors' own term relative to the kernel's variance (0 without anchors or when they sit on the surface).</summary>
    public double AnchorOwnRatio => _own.Length == 0 ? 0 : _own.Max();

    private readonly int _features;
    private readonly float[] _byFeature;   // [features, Count]: the stored points' one-hot rows, transposed
    private readonly float[] _ones;        // ones per stored point
    private readonly float[] _alpha;
    private readonly float[] _kernelOfD2;  // k at d^2 = 0, 1, 2, ...
    private readonly float[] _own;         // own term per point, or empty when no point has one
    private readonly int[] _owners;        // the points with an own term

    private ResidualCorrection(int features, float[] byFeature, float[] alpha, double lengthScale, double noiseRatio, float[]? own = null)
    {
        if (!(lengthScale > 0) || !(noiseRatio >= 0))
            throw new OfaFormatException($"Residual correction: length scale {lengthScale} must be > 0 and noise ratio {noiseRatio} >= 0.");
        _features = features;
        _byFeature = byFeature;
        _alpha = alpha;
        LengthScale = lengthScale;
        NoiseRatio = noiseRatio;
        _ones = new float[alpha.Length];
        for (int f = 0; f < features; f++) DenseKernels.AddInPlace(_ones, byFeature.AsSpan(f * alpha.Length, alpha.Length));
        _kernelOfD2 = new float[2 * features + 1];
        for (int d2 = 0; d2 < _kernelOfD2.Length; d2++) _kernelOfD2[d2] = (float)Kernel(d2, lengthScale);
        if (own is not null && own.Length != alpha.Length)
            throw new OfaFormatException($"Residual correction: {own.Length} own terms for {alpha.Length} points.");
        _owners = own is null ? [] : Enumerable.Range(0, own.Length).Where(i => own[i] != 0).ToArray();
        _own = _owners.Length == 0 ? [] : own!;
    }

    private static double Kernel(double d2, double lengthScale) => Math.Exp(-d2 / (2 * lengthScale * lengthScale));

    /// <summary>Adds the correction to <paramref name="accuracy"/> (the MLP's predictions of <paramref name="configs"/>).</summary>
    public void AddTo(IArchEncoding encoder, ReadOnlySpan<SubnetConfig> configs, Span<float> accuracy)
    {
        if (encoder.Length != _features)
            throw new OfaException($"Residual correction was stored for {_features} encoded features; the predictor's encoding has {encoder.Length}.");
        Span<int> idx = stackalloc int[encoder.MaxActiveFeatures];
        var overlap = new float[Count];
        for (int i = 0; i < configs.Length; i++)
        {
            int n = encoder.ActiveFeatures(configs[i], idx);
            accuracy[i] += Correction(idx[..n], overlap);
        }
    }

    private float Correction(ReadOnlySpan<int> active, Span<float> overlap)
    {
        int m = Count;
        overlap.Clear();
        foreach (int f in active) DenseKernels.AddInPlace(overlap, _byFeature.AsSpan(f * m, m));
        float sum = 0;
        for (int j = 0; j < m; j++)
        {
            int d2 = (int)(active.Length + _ones[j] - 2 * overlap[j] + 0.5f);
            sum += _alpha[j] * _kernelOfD2[d2];
        }
        foreach (int j in _owners)
            if ((int)(active.Length + _ones[j] - 2 * overlap[j] + 0.5f) == 0) sum += _alpha[j] * _own[j];
        return sum;
    }

    // ---- fitting ----

    /// <summary>Length scales and noise ratios tried by <see cref="Fit"/>; the pair with the least leave-one-out error wins.</summary>
    public static readonly double[] DefaultLengthScales = [1, 1.5, 2, 3, 4, 6, 8, 12, 16];
    public static readonly double[] DefaultNoiseRatios = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];

    /// <summary>The correction and its leave-one-out RMSE (accuracy points) at the chosen kernel.</summary>
    public sealed record FitResult(ResidualCorrection Correction, double LooRmsePoints);

    /// <summary>Fixed-point iterations of the anchors' own term (it converges in two or three).</summary>
    private const int OwnTermIterations = 5;

    /// <summary>
    /// Fits the correction to <paramref name="residuals"/> (measured minus the MLP's prediction, fractions) at
    /// <paramref name="configs"/>, choosing the length scale and noise ratio by exact leave-one-out
    /// (r_i - mu_-i = alpha_i / [(K + lambda I)^-1]_ii), so nothing held out is spent on it.
    /// <paramref name="isAnchor"/> marks the points that get an own term: its variance is the anchors' mean squared
    /// leave-one-out error minus the other points' (what the anchors' excess is beyond noise and misfit), relative to
    /// the kernel's variance r^T (K + lambda I)^-1 r / n, refined by a few fixed-point iterations with the term in place.
    /// </summary>
    public static FitResult Fit(IArchEncoding encoder, IReadOnlyList<SubnetConfig> configs, IReadOnlyList<double> residuals,
        IReadOnlyList<double>? lengthScales = null, IReadOnlyList<double>? noiseRatios = null, Func<int, bool>? isAnchor = null)
    {
        int n = configs.Count;
        if (n == 0 || residuals.Count != n) throw new OfaException($"Residual correction: {n} subnets and {residuals.Count} residuals; give one residual per subnet, at least one.");
        lengthScales ??= DefaultLengthScales;
        noiseRatios ??= DefaultNoiseRatios;
        var rows = configs.Select(c => encoder.Encode(c)).ToArray();
        var d2 = new int[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                int d = 0;
                for (int f = 0; f < encoder.Length; f++) if (rows[i][f] != rows[j][f]) d++;
                d2[i * n + j] = d2[j * n + i] = d;
            }
        var r = residuals.ToArray();
        (double Loo, double L, double Lambda, double[] Alpha)? best = null;
        foreach (double l in lengthScales)
            foreach (double lambda in noiseRatios)
            {
                var a = new double[n * n];
                for (int i = 0; i < n * n; i++) a[i] = Kernel(d2[i], l);
                for (int i = 0; i < n; i++) a[i * n + i] += lambda;
                if (!Cholesky(a, n)) continue;
                var alpha = CholeskySolve(a, n, r);
                var invDiag = InverseDiagonal(a, n);
                double s = 0;
                for (int i = 0; i < n; i++) { double e = alpha[i] / invDiag[i]; s += e * e; }
                double loo = Math.Sqrt(s / n) * 100;
                if (best is null || loo < best.Value.Loo) best = (loo, l, lambda, alpha);
            }
        if (best is not { } b) throw new OfaException("Residual correction: no kernel gave a positive-definite system; give a noise ratio > 0.");
        var byFeature = new float[encoder.Length * n];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < encoder.Length; f++) byFeature[f * n + i] = rows[i][f];
        var (alphaOut, own, looOut) = (b.Alpha, (float[]?)null, b.Loo);
        var anchors = isAnchor is null ? [] : Enumerable.Range(0, n).Where(isAnchor).ToArray();
        if (anchors.Length > 0 && anchors.Length < n)
            (alphaOut, own, looOut) = FitOwnTerms(d2, r, n, b.L, b.Lambda, b.Alpha, anchors);
        return new FitResult(new ResidualCorrection(encoder.Length, byFeature, alphaOut.Select(v => (float)v).ToArray(), b.L, b.Lambda, own), looOut);
    }

    /// <summary>The anchors' own term at the chosen kernel; returns alpha, the own terms and the leave-one-out RMSE (points).</summary>
    private static (double[] Alpha, float[]? Own, double LooPoints) FitOwnTerms(int[] d2, double[] r, int n, double l, double lambda, double[] alpha0, int[] anchors)
    {
        double signal = 0; // the kernel's variance: r^T (K + lambda I)^-1 r / n
        for (int i = 0; i < n; i++) signal += r[i] * alpha0[i];
        signal /= n;
        var isAnchor = new bool[n];
        foreach (int i in anchors) isAnchor[i] = true;
        double ratio = 0;
        double[] alpha = alpha0;
        double loo = 0;
        for (int iteration = 0; iteration <= OwnTermIterations; iteration++)
        {
            var a = new double[n * n];
            for (int i = 0; i < n * n; i++) a[i] = Kernel(d2[i], l);
            for (int i = 0; i < n; i++) a[i * n + i] += lambda + (isAnchor[i] ? ratio : 0);
            if (!Cholesky(a, n)) break;
            alpha = CholeskySolve(a, n, r);
            var invDiag = InverseDiagonal(a, n);
            double anchorSq = 0, otherSq = 0;
            for (int i = 0; i < n; i++)
            {
                double e = alpha[i] / invDiag[i];
                if (isAnchor[i]) anchorSq += e * e; else otherSq += e * e;
            }
            loo = Math.Sqrt((anchorSq + otherSq) / n) * 100;
            double excess = Math.Max(0, anchorSq / anchors.Length - otherSq / (n - anchors.Length));
            double next = signal > 0 ? excess / signal : 0;
            if (iteration == OwnTermIterations || Math.Abs(next - ratio) <= 1e-3 * Math.Max(next, 1e-12)) break;
            ratio = next;
        }
        if (ratio == 0) return (alpha, null, loo);
        var own = new float[n];
        foreach (int i in anchors) own[i] = (float)ratio;
        return (alpha, own, loo);
    }

    /// <summary>In place: the lower triangle of <paramref name="a"/> becomes L with a = L L^T; false if not positive definite.</summary>
    private static bool Cholesky(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0)) return false;
            d = Math.Sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                var ri = a.AsSpan(i * n, j);
                var rj = a.AsSpan(j * n, j);
                for (int k = 0; k < j; k++) s -= ri[k] * rj[k];
                a[i * n + j] = s / d;
            }
        }
        return true;
    }

    private static double[] CholeskySolve(double[] l, int n, double[] b)
    {
        var y = (double[])b.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++) y[i] -= l[i * n + k] * y[k];
            y[i] /= l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++) y[i] -= l[k * n + i] * y[k];
            y[i] /= l[i * n + i];
        }
        return y;
    }

    /// <summary>diag(A^-1) = column sums of squares of L^-1, from the factor L.</summary>
    private static double[] InverseDiagonal(double[] l, int n)
    {
        var diag = new double[n];
        var x = new double[n];
        for (int c = 0; c < n; c++)
        {
            // Solve L x = e_c; x is zero above c.
            Array.Clear(x);
            x[c] = 1 / l[c * n + c];
            double s = x[c] * x[c];
            for (int i = c + 1; i < n; i++)
            {
                double v = 0;
                var row = l.AsSpan(i * n, i);
                for (int k = c; k < i; k++) v -= row[k] * x[k];
                x[i] = v / l[i * n + i];
                s += x[i] * x[i];
            }
            diag[c] = s;
        }
        return diag;
    }

    // ---- persistence, in the predictor's tensors ----

    public void AddTensors(TensorSet set)
    {
        var points = new float[Count * _features];
        for (int f = 0; f < _features; f++)
            for (int i = 0; i < Count; i++) points[i * _features + f] = _byFeature[f * Count + i];
        set.Add(PointsName, Tensor.FromFloats([Count, _features], points));
        set.Add(AlphaName, Tensor.FromFloats([Count], (float[])_alpha.Clone()));
        set.Add(KernelName, Tensor.FromFloats([2], [(float)LengthScale, (float)NoiseRatio]));
        if (_owners.Length > 0) set.Add(OwnName, Tensor.FromFloats([Count], (float[])_own.Clone()));
    }

    public static bool IsTensor(string name) => name is PointsName or AlphaName or KernelName or OwnName;

    /// <summary>The correction stored in <paramref name="tensors"/>, or null (packages before it: the MLP alone).</summary>
    public static ResidualCorrection? FromTensors(TensorSet tensors, IArchEncoding encoder)
    {
        if (!tensors.Contains(AlphaName)) return null;
        var alpha = tensors[AlphaName];
        if (alpha.Shape.Length != 1)
            throw new OfaFormatException($"{tensors.Source}: tensor '{AlphaName}' has shape {alpha.ShapeText}; expected [points].");
        int n = alpha.Shape[0];
        var points = tensors.F32(PointsName, n, encoder.Length);
        var kernel = tensors.F32(KernelName, 2);
        var byFeature = new float[encoder.Length * n];
        for (int i = 0; i < n; i++)
            for (int f = 0; f < encoder.Length; f++)
            {
                float v = points[i * encoder.Length + f];
                if (v is not (0f or 1f))
                    throw new OfaFormatException($"{tensors.Source}: tensor '{PointsName}' holds {v} at [{i}, {f}]; expected one-hot rows of 0 and 1.");
                byFeature[f * n + i] = v;
            }
        var own = tensors.Contains(OwnName) ? (float[])tensors.F32(OwnName, n).Clone() : null;
        return new ResidualCorrection(encoder.Length, byFeature, (float[])alpha.F32.Clone(), kernel[0], kernel[1], own);
    }
}
