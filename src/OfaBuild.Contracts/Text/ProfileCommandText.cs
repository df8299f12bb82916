using System.IO;
using OfaBuild.Runtime;

namespace OfaBuild.Contracts;

/// <summary>
/// The `ofa profile` command a message tells the user to run, one rule for the build task's missing profile (OFA0012) and
/// Core's ProfileHint, which picks the space's arguments when the package is not known. The table must be of the
/// target's precision (a table of another is not searched on), and of its device: `ofa profile` records the file's stem
/// unless told `--device`, and a catalog device's table that names another device gets OFA0019.
/// </summary>
public static class ProfileCommandText
{
    /// <summary>` --model PKG`: the space of the package the table is for.</summary>
    public static string Package(string packagePath) => " --model " + ShellWord.Quote(packagePath);

    /// <summary>`ofa profile -o FILE` with the space's arguments, `--precision` unless fp32 or null, and `--device` when the file's stem is not the device.</summary>
    /// <param name="space">The space's arguments (<see cref="Package"/>, a preset's ` --space NAME`), or "" when not known.</param>
    public static string Of(string file, string space, string? precision = null, string? device = null)
    {
        string p = precision is null || precision == Precisions.Fp32 ? "" : $" --precision {precision}";
        string d = device is null || DeviceNames.Same(Path.GetFileNameWithoutExtension(file), device) ? "" : $" --device {ShellWord.Quote(device)}";
        return $"ofa profile -o {ShellWord.Quote(file)}{space}{p}{d}";
    }
}
