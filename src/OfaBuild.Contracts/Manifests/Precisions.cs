using System;

namespace OfaBuild.Contracts;

/// <summary>
/// The numeric precisions a target's model can be built in, as the manifest, the plan and `ofa specialize --precision`
/// spell them. The attribute's <c>OfaPrecision.Int8</c> and the item's <c>Precision="Int8"</c> map here by name.
/// </summary>
public static class Precisions
{
    public const string Fp32 = "fp32";
    /// <summary>Static int8 in QDQ form: weights per output channel, activations calibrated on the package's images.</summary>
    public const string Int8 = "int8";

    public static readonly string[] All = { Fp32, Int8 };

    /// <summary>
    /// "an fp32", "an int8": a precision's name with its article, for every message that puts one before a name. The names
    /// are read by their letters ("eff-pee-32", "int-8"), so "an" goes before a first letter whose name starts with a vowel sound.
    /// </summary>
    public static string WithArticle(string precision) =>
        (precision.Length > 0 && "aefhilmnorsx".IndexOf(char.ToLowerInvariant(precision[0])) >= 0 ? "an " : "a ") + precision;

    /// <summary>"Int8", "int8", "INT8" -> "int8"; null for a name that is no precision.</summary>
    public static string? Normalize(string? name)
    {
        foreach (var p in All)
            if (string.Equals(p, name?.Trim(), StringComparison.OrdinalIgnoreCase)) return p;
        return null;
    }
}
