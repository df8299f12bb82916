using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OfaBuild.Contracts;
using OfaBuild.Core.Packaging;

namespace OfaBuild.Core.Latency;

/// <summary>
/// The `ofa profile` command a message tells the user to run (<see cref="ProfileCommandText"/>, the build task's rule too),
/// with the space's arguments chosen here. A table's keys hold each layer's
/// input and output size and channels, so it must be measured for the package's own space: the package itself
/// (`--model`) when its path is known; a preset (`--space`, with `--classes` when not the preset's) when the space is
/// one; a placeholder `--model` when the space is known but is no preset (a package trained on the user's own images);
/// the plain command when nothing is known.
/// </summary>
public static class ProfileHint
{
    /// <summary>A placeholder for the package when its path is not known.</summary>
    public const string PackagePlaceholder = "<package.ofa>";

    /// <param name="file">The table file to write (`-o`).</param>
    /// <param name="packagePath">The .ofa package the table is for, if known.</param>
    /// <param name="space">The package's space, if known (used when <paramref name="packagePath"/> is not).</param>
    /// <param name="precision">Added as `--precision` unless fp32 or null.</param>
    /// <param name="device">The device the table is for: added as `--device` when the file's name would not record it (`ofa profile`
    /// records the file's stem without one, and a catalog device's table that names another device gets a warning, Devices/TableDevice).</param>
    public static string Command(string file, string? packagePath = null, SearchSpace? space = null, string? precision = null, string? device = null)
    {
        string of = packagePath is not null ? ProfileCommandText.Package(packagePath)
            : space is null ? ""
            : PresetArgs(space) ?? $" --model {PackagePlaceholder}";
        return ProfileCommandText.Of(file, of, precision, device);
    }

    /// <summary>
    /// A new table of <paramref name="device"/> for the package, to replace a table that does not fit it: the file, and the
    /// command (<see cref="Command"/>, recording the device) in backquotes. The file is not the table in use
    /// (<paramref name="replacing"/>), which may be another package's and still needed: it goes beside it, named after the
    /// device, the package (else the space) and a precision other than fp32 (`profiles/board.photos.json`). Should that be
    /// the table in use itself (named so, yet made for another space), the command says it replaces it.
    /// </summary>
    public static (string File, string Command) NewTable(string device, string? replacing, string? packagePath, SearchSpace? space, string? precision = null)
    {
        string of = packagePath is not null ? "." + Path.GetFileNameWithoutExtension(packagePath) : space is not null ? "." + space.Name : "";
        string p = precision is null || precision == Precisions.Fp32 ? "" : "." + precision;
        string name = $"{device}{of}{p}.json";
        string file = replacing is null ? name : Path.Combine(Path.GetDirectoryName(replacing) ?? "", name);
        bool replaces = replacing is not null && string.Equals(Path.GetFullPath(file), Path.GetFullPath(replacing), StringComparison.Ordinal);
        return (file, $"`{Command(file, packagePath, space, precision, device)}`" + (replaces ? $" (it replaces '{replacing}')" : ""));
    }

    /// <summary>
    /// Who reads a message: a build about an [OfaTarget] attribute, or about an &lt;OfaTarget&gt; item, or an `ofa` command
    /// line, which also takes --profile FILE, or `ofa report`'s, whose --profile is DEVICE=FILE.
    /// </summary>
    public enum Reader { CommandLine, Build, BuildItem, Report }

    /// <summary>
    /// How to use a measured table <paramref name="file"/> for <paramref name="device"/>: the target's Profile, and on a
    /// command line also `--profile` (the same file as <see cref="Command"/>'s `-o`).
    /// </summary>
    public static string UseTable(string device, string file, Reader reader) => reader switch
    {
        Reader.BuildItem => $"{TargetWording.Argument(true, OfaAttributeNames.Profile, file)} on the <{OfaAttributeNames.Target} Include=\"{device}\"> item",
        _ => $"[OfaTarget(\"{device}\", LatencyMs = ..., Profile = \"{file}\")]" + reader switch
        {
            Reader.CommandLine => $" (or --profile {ShellWord.Quote(file)} on the command line)",
            Reader.Report => $" (or --profile {ShellWord.Quote($"{device}={file}")} on the command line)",
            _ => "",
        },
    };

    /// <summary>The command that converts the reference's YAML tables <paramref name="yamlPaths"/> into table <paramref name="file"/> for the space (as <see cref="Command"/> names it).</summary>
    public static string ConvertReference(string file, IEnumerable<string> yamlPaths, string? packagePath = null, SearchSpace? space = null) =>
        $"{Command(file, packagePath, space)} --reference-lut {string.Join(" ", yamlPaths.Select(ShellWord.Quote))}";

    /// <summary>` --space NAME [--classes N]` when <paramref name="space"/> is exactly that preset's, else null.</summary>
    private static string? PresetArgs(SearchSpace space)
    {
        if (!Presets.Names.Contains(space.Name)) return null;
        var preset = Presets.Get(space.Name);
        int? classes = space.NumClasses == preset.NumClasses ? null : space.NumClasses;
        if (Json(Presets.Get(space.Name, classes)) != Json(space)) return null; // e.g. other input channels or resolutions
        return $" --space {space.Name}" + (classes is { } n ? $" --classes {n}" : "");
    }

    private static string Json(SearchSpace space) =>
        JsonSerializer.Serialize(space, (JsonTypeInfo<SearchSpace>)OfaJson.Options.GetTypeInfo(typeof(SearchSpace)));
}
