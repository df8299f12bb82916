using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Data;
using OfaBuild.Core.Space;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// The options several commands share, made in one place so their names, aliases and wording agree; a command
/// adds only what its own use says (what it writes, whether it is required).
/// </summary>
internal static class CommonOptions
{
    /// <summary>--model/-m: the supernet package a command reads.</summary>
    public static Option<FileInfo> Model(string description = "The .ofa supernet package.") =>
        new("--model", "-m") { Description = description, Required = true };

    /// <summary>--model/-m for a command that can also work without a package.</summary>
    public static Option<FileInfo?> OptionalModel(string description = "The .ofa supernet package.") =>
        new("--model", "-m") { Description = description };

    /// <summary>--output/-o: the file or folder a command writes.</summary>
    public static Option<T> Output<T>(string description, bool required = true) =>
        new("--output", "-o") { Description = description, Required = required };

    /// <summary>The start of every --space help: the preset names.</summary>
    public static string SpaceHelp => $"Search space preset: {string.Join(", ", Presets.Names)}";

    /// <summary>--space: a preset by name; required unless <paramref name="defaultSpace"/> is given.</summary>
    public static Option<string> Space(string? defaultSpace = null)
    {
        var space = new Option<string>("--space") { Description = SpaceHelp + ".", Required = defaultSpace is null };
        if (defaultSpace is not null) space.DefaultValueFactory = _ => defaultSpace;
        return space;
    }

    /// <summary>--classes: the classifier's class count when it is not the preset's.</summary>
    public static Option<int?> Classes(string description = "Number of classes (default: the preset's).") =>
        new("--classes") { Description = description };

    /// <summary>
    /// --precision: fp32 (the default) or int8, in any case as a target's Precision is in the build ("INT8" is int8,
    /// <see cref="Precisions.Normalize"/>); anything else is refused when the command line is read.
    /// </summary>
    public static Option<string> Precision(string description)
    {
        var option = new Option<string>("--precision") { Description = description, HelpName = string.Join("|", Precisions.All), DefaultValueFactory = _ => Precisions.Fp32 };
        option.CustomParser = r =>
        {
            string written = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (Precisions.Normalize(written) is { } precision) return precision;
            r.AddError($"--precision {written}: give {string.Join(" or ", Precisions.All)}.");
            return Precisions.Fp32;
        };
        return option;
    }

    /// <summary>
    /// --threads of every command, whatever its threads run (subnets, ONNX Runtime, libtorch): below 1 is refused when the
    /// command line is read (<see cref="AtLeast(Option{int}, int)"/>), not taken as 1.
    /// </summary>
    public static Option<int> Threads(string description, int defaultThreads) =>
        new Option<int>("--threads") { Description = description, DefaultValueFactory = _ => defaultThreads }.AtLeast(1);

    /// <summary>--threads of the commands that measure subnets (<see cref="SubnetMeasurer"/>): one subnet per thread.</summary>
    public static Option<int> MeasuringThreads() => Threads("Subnets measured in parallel.", Environment.ProcessorCount);

    /// <summary>--data-dir: where Fashion-MNIST's IDX files are.</summary>
    public static Option<string?> DataDir() =>
        new("--data-dir") { Description = $"Where Fashion-MNIST's IDX files are (default {FashionMnist.DefaultDirectory})." };

    /// <summary>
    /// The devices a command is given, however its options take them (`--devices a,b` split with <see cref="SplitDevices"/>,
    /// or `--device a --device b`): each name trimmed, empty names and repeats (in any case: Note10 is note10) dropped, in the order given; null when
    /// none is given (an option given with no name in it is refused first: <see cref="NamesADevice(Option{string?})"/>). Unknown names are
    /// refused where a name is looked up (the catalog's "Did you mean").
    /// </summary>
    public static IReadOnlyList<string>? DeviceList(IEnumerable<string>? given)
    {
        var names = (given ?? []).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(DeviceCatalog.NameComparer).ToArray();
        return names.Length > 0 ? names : null;
    }

    /// <summary>A comma-separated device list ("a, b,,a") as <see cref="DeviceList"/> takes it.</summary>
    public static IReadOnlyList<string>? SplitDevices(string? commaSeparated) => DeviceList(commaSeparated?.Split(','));

    /// <summary>
    /// Refuses a comma-separated device option given no device (`--devices ''`, `--devices ' , '`) when the command line is
    /// read: it would otherwise mean what leaving the option out means (every catalog device) without saying so.
    /// </summary>
    public static Option<string?> NamesADevice(this Option<string?> option)
    {
        option.Validators.Add(r => RefuseNoDevice(r, option.Name, SplitDevices, $"{option.Name} x64-avx2,cortex-a53"));
        return option;
    }

    /// <summary>As <see cref="NamesADevice(Option{string?})"/>, for a repeated device option (`--device ''`).</summary>
    public static Option<string[]> NamesADevice(this Option<string[]> option)
    {
        option.Validators.Add(r => RefuseNoDevice(r, option.Name, v => DeviceList([v]), $"{option.Name} x64-avx2 {option.Name} cortex-a53"));
        return option;
    }

    private static void RefuseNoDevice(System.CommandLine.Parsing.OptionResult result, string name, Func<string, IReadOnlyList<string>?> devices, string example)
    {
        // Left out (a default) or given no value (the parser's own error): nothing to say here.
        var given = result.Implicit ? [] : result.Tokens.Select(t => t.Value).ToArray();
        if (given.Length == 0 || given.Any(v => devices(v) is not null)) return;
        result.AddError($"{string.Join(" ", given.Select(v => name + " " + ShellWord.Quote(v)))}: name at least one device, e.g. {example}.");
    }

    /// <summary>
    /// Reads a number option as the build reads an &lt;OfaTarget&gt; item's number (invariant, <see cref="NumberStyles.Float"/>):
    /// "2,5" is refused when the command line is read, where the parser took it for 25 (',' groups thousands in the
    /// invariant culture), a budget ten times the one meant, searched without a word. Every option of the tool that takes a
    /// number with a fraction reads it so (budgets, caps, `ofa train`'s epochs, learning rates and warm-ups; LocaleTests checks).
    /// </summary>
    public static Option<double> PlainNumber(this Option<double> option)
    {
        option.CustomParser = r => ReadNumber(r, option.Name) ?? 0;
        return option;
    }

    /// <inheritdoc cref="PlainNumber(Option{double})"/>
    public static Option<double?> PlainNumber(this Option<double?> option)
    {
        option.CustomParser = r => ReadNumber(r, option.Name);
        return option;
    }

    private static double? ReadNumber(System.CommandLine.Parsing.ArgumentResult result, string name)
    {
        string written = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (double.TryParse(written, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{name} {ShellWord.Quote(written)}: write a number with a decimal point and no separators, e.g. {name} 2.5.");
        return null;
    }

    /// <summary>
    /// Refuses a count below <paramref name="min"/> when the command line is parsed, before the command reads or measures
    /// anything, in one wording: "--subnets 0: give at least 1."
    /// </summary>
    public static Option<int> AtLeast(this Option<int> option, int min)
    {
        option.Validators.Add(r => Check(r, option.Name, r.GetValueOrDefault<int>(), min));
        return option;
    }

    /// <inheritdoc cref="AtLeast(Option{int}, int)"/>
    public static Option<int?> AtLeast(this Option<int?> option, int min)
    {
        option.Validators.Add(r => Check(r, option.Name, r.GetValueOrDefault<int?>(), min));
        return option;
    }

    private static void Check(System.CommandLine.Parsing.OptionResult result, string name, int? value, int min)
    {
        if (value < min) result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} {value}: give at least {min}."));
    }
}
