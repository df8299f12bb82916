namespace OfaBuild.Core.Space;

/// <summary>Channel arithmetic exactly as the reference computes it (ofa/utils/pytorch_modules.py).</summary>
public static class Channels
{
    public const int Divisor = 8;

    /// <summary>
    /// Rounds <paramref name="v"/> to the nearest multiple of <paramref name="divisor"/>,
    /// never below <paramref name="divisor"/> and never more than 10% below <paramref name="v"/>.
    /// </summary>
    public static int MakeDivisible(double v, int divisor = Divisor)
    {
        int newV = Math.Max(divisor, (int)(v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) newV += divisor;
        return newV;
    }

    /// <summary>Expanded (middle) width of an inverted-residual block: make_divisible(round(in * e)).</summary>
    public static int Middle(int inChannels, int expandRatio) =>
        MakeDivisible(Math.Round((double)inChannels * expandRatio, MidpointRounding.ToEven));

    /// <summary>Squeeze-excite reduce width: make_divisible(mid // 4).</summary>
    public static int SqueezeExcite(int middle) => MakeDivisible(middle / 4);
}
