namespace OfaBuild.Core.Accuracy;

/// <summary>How well predictions match measurements: RMSE and Spearman rank correlation.</summary>
public static class PredictorMetrics
{
    public static double Rmse(ReadOnlySpan<double> predicted, ReadOnlySpan<double> actual)
    {
        if (predicted.Length != actual.Length || predicted.Length == 0) throw new ArgumentException("Need two equally long, non-empty series.");
        double s = 0;
        for (int i = 0; i < predicted.Length; i++) s += (predicted[i] - actual[i]) * (predicted[i] - actual[i]);
        return Math.Sqrt(s / predicted.Length);
    }

    /// <summary>Spearman's rho: Pearson correlation of the ranks (ties get their average rank).</summary>
    public static double Spearman(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length || a.Length < 2) throw new ArgumentException("Need two equally long series of at least 2 values.");
        return Pearson(Ranks(a), Ranks(b));
    }

    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++) { ma += a[i]; mb += b[i]; }
        ma /= a.Length; mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db; saa += da * da; sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.Sqrt(saa * sbb);
    }

    public static double[] Ranks(ReadOnlySpan<double> x)
    {
        var order = new int[x.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var copy = x.ToArray();
        Array.Sort(order, (i, j) => copy[i] != copy[j] ? copy[i].CompareTo(copy[j]) : i.CompareTo(j));
        var ranks = new double[x.Length];
        for (int i = 0; i < order.Length;)
        {
            int j = i;
            while (j + 1 < order.Length && copy[order[j + 1]] == copy[order[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) ranks[order[t]] = avg;
            i = j + 1;
        }
        return ranks;
    }
}
