using System.Globalization;

namespace OfaBuild.Contracts;

/// <summary>
/// A latency in milliseconds as the commands, the build's log and the report print it for a person: three decimals and
/// a decimal point under any locale ("4.820 ms"), so one subnet's figure reads the same wherever it appears and a column
/// of them lines up. Files keep their own numbers (latency tables, manifests, --json); a budget prints as it was given.
/// The app-facing library (OfaBuild.Runtime) compiles this file in as internal (linked source: it ships alone and
/// references no build part), so a target's Info reads in the app as the build printed it.
/// </summary>
static partial class LatencyText
{
    /// <summary>"4.820 ms".</summary>
    public static string Ms(double ms) => Number(ms) + " ms";

    /// <summary>"4.820", where the unit is said once for several (a table's "latency (ms)" column, a range "0.923-4.820 ms").</summary>
    public static string Number(double ms) => ms.ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>A latency budget as the user gave it: "10 ms", "2.5 ms" (<see cref="Given"/>).</summary>
    public static string Budget(double ms) => Given(ms) + " ms";

    /// <summary>
    /// A limit the user gave (a latency budget, an MFLOPs cap) as given, not as a measured figure: no trailing zeros and at
    /// most three decimals ("10", "2.5"), with a decimal point under any locale. One rule for every place that prints one.
    /// </summary>
    public static string Given(double limit) => limit.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// A limit refused as none (zero, negative, NaN, infinite) as its error echoes it, everywhere one is refused (the build,
    /// `ofa report --project`, `ofa search` and `ofa specialize`): as <see cref="Given"/> prints it ("0", "-2.5", "Infinity")
    /// unless that would hide the value, which then prints whole ("-0.0001", where three decimals read "-0"; "NaN").
    /// </summary>
    public static string Refused(double limit) =>
        System.Math.Round(limit, 3) == limit ? Given(limit) : limit.ToString("R", CultureInfo.InvariantCulture);
}
