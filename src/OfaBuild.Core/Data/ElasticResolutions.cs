using System.Globalization;

namespace OfaBuild.Core.Data;

/// <summary>The elastic resolutions of a space trained on an image folder: parsed from --resolutions, or chosen from the image size.</summary>
public static class ElasticResolutions
{
    /// <summary>The largest resolution chosen by default: mbv3-w1.0 at 96-160 px still trains on 2 CPU cores.</summary>
    public const int DefaultMax = 160;

    /// <summary>"96-160" (step 4, as the reference's 128-224), "96-160:16", or a list "96,128,160".</summary>
    public static int[] Parse(string text)
    {
        int Int(string s) => int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
            : throw new OfaException($"--resolutions '{text}': '{s}' is not a whole number; write e.g. 96-160, 96-160:16 or 96,128,160.");
        int[] rs;
        var range = text.Split(':');
        if (text.Contains('-'))
        {
            var ends = range[0].Split('-');
            if (ends.Length != 2 || range.Length > 2) throw new OfaException($"--resolutions '{text}': write a range as MIN-MAX or MIN-MAX:STEP, e.g. 96-160.");
            int lo = Int(ends[0]), hi = Int(ends[1]), step = range.Length == 2 ? Int(range[1]) : 4;
            if (lo > hi || step < 1) throw new OfaException($"--resolutions '{text}': MIN must not exceed MAX and STEP must be positive.");
            rs = Enumerable.Range(0, (hi - lo) / step + 1).Select(i => lo + i * step).ToArray();
            if (rs[^1] != hi) rs = [.. rs, hi];
        }
        else rs = text.Split(',').Select(Int).Order().Distinct().ToArray();
        if (rs.Any(r => r is < 8 or > 1024)) throw new OfaException($"--resolutions '{text}': every resolution must be in 8..1024.");
        return rs;
    }

    /// <summary>
    /// From the images' median shorter side: the largest resolution is that side (at most <see cref="DefaultMax"/>),
    /// the smallest 0.6 of it (the reference: 128 of 224), in steps of 4.
    /// </summary>
    public static int[] FromImageSize(int shortSide)
    {
        int hi = Math.Max(16, Math.Min(DefaultMax, shortSide) / 4 * 4);
        int lo = Math.Max(8, (int)Math.Round(hi * 0.6 / 4) * 4);
        return Enumerable.Range(0, (hi - lo) / 4 + 1).Select(i => lo + 4 * i).ToArray();
    }

    /// <summary>The side images are stored at: the largest resolution divided by the centre crop (so evaluation crops lose nothing).</summary>
    public static int StorageSize(IReadOnlyList<int> resolutions, double centerCrop) =>
        (int)Math.Ceiling(resolutions.Max() / centerCrop - 1e-9);
}
