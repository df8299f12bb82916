namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// What a layer costs inside a network, from what it costs timed alone: <c>Scale * alone + MsPerMegabyte * its model's
/// megabytes</c>. Fitted on calibration subnets timed whole (never the validation's), as the least-squares fit of
/// relative error of <c>whole - constant ≈ Scale * Σ alone + MsPerMegabyte * Σ megabytes</c>. The megabyte term is
/// there because on the x64 VM of the README the error a scale alone left followed a subnet's weight bytes, not its
/// predicted time (what in a network costs more per weight byte was not isolated); when the two-term fit is not
/// positive in both, the scale alone is used: the median of whole / Σ alone.
/// </summary>
public readonly record struct NetworkContext(double Scale, double MsPerMegabyte)
{
    /// <summary>No correction: the table is the one-layer times.</summary>
    public static NetworkContext None => new(1, 0);

    /// <summary>One calibration subnet: the sum of its layers timed alone, of its layer models' megabytes, and its whole time (all without the per-call constant).</summary>
    public readonly record struct Sample(double SumAloneMs, double SumMegabytes, double WholeMs);

    public double LayerMs(double aloneMs, double megabytes) => Scale * aloneMs + MsPerMegabyte * megabytes;

    public static NetworkContext Fit(IReadOnlyList<Sample> samples)
    {
        var usable = samples.Where(s => s.SumAloneMs > 0 && s.WholeMs > 0).ToArray();
        if (usable.Length == 0) return None;
        // Minimise Σ ((a x + b y) / z - 1)²: normal equations of the weighted least squares with weight 1 / z².
        double xx = 0, xy = 0, yy = 0, xz = 0, yz = 0;
        foreach (var s in usable)
        {
            double w = 1 / (s.WholeMs * s.WholeMs);
            xx += w * s.SumAloneMs * s.SumAloneMs;
            xy += w * s.SumAloneMs * s.SumMegabytes;
            yy += w * s.SumMegabytes * s.SumMegabytes;
            xz += w * s.SumAloneMs * s.WholeMs;
            yz += w * s.SumMegabytes * s.WholeMs;
        }
        double det = xx * yy - xy * xy;
        if (usable.Length >= 3 && det > 1e-12 * xx * yy)
        {
            double a = (xz * yy - xy * yz) / det, b = (xx * yz - xy * xz) / det;
            if (a > 0 && b >= 0 && double.IsFinite(a) && double.IsFinite(b)) return new(a, b);
        }
        return new(ModelTimer.Timing.Of(usable.Select(s => s.WholeMs / s.SumAloneMs).ToArray()).MedianMs, 0);
    }
}
