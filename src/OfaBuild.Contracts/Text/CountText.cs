using System.Globalization;

namespace OfaBuild.Contracts;

/// <summary>
/// A count of things as a command prints it for a person: the noun singular for exactly one ("1 step", "1 epoch"),
/// plural for any other count, fractions and zero included ("0.5 epochs", "0 steps"), the number as the invariant
/// culture writes it. One rule for every count a command prints that can be 1; "(s)" stays where a line states a kind
/// rather than a count ("4 subnet(s)/step").
/// </summary>
public static class CountText
{
    /// <summary>"1 step", "9 steps"; <paramref name="plural"/> where adding "s" is wrong ("class", "classes").</summary>
    public static string Of(long count, string noun, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + Noun(count == 1, noun, plural);

    /// <summary>"1 epoch", "0.5 epochs", "2.5 epochs".</summary>
    public static string Of(double count, string noun, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + Noun(count.Equals(1.0), noun, plural);

    /// <summary>The noun alone, where the count prints apart from it ("at resolutions 24, 28").</summary>
    public static string Noun(long count, string noun, string? plural = null) => Noun(count == 1, noun, plural);

    private static string Noun(bool one, string noun, string? plural) => one ? noun : plural ?? noun + "s";
}
