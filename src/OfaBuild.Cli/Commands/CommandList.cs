using System.Globalization;
using OfaBuild.Core.Data;

namespace OfaBuild.Cli.Commands;

/// <summary>The build-host `ofa` subcommands (each in its own file) and the root command over a set of them.</summary>
internal static class CommandList
{
    /// <param name="decoder">Image decoder for image-folder datasets (the full tool's SkiaSharp one); null reads PGM/PPM only.</param>
    public static IEnumerable<Command> Host(IImageDecoder? decoder = null) =>
    [
        InitCommand.Create(),
        ImportCommand.Create(),
        ExportCommand.Create(),
        InspectCommand.Create(),
        ProfileCommand.Create(),
        SearchCommand.Create(),
        SpecializeCommand.Create(),
        MeasureCommand.Create(decoder),
        RegretCommand.Create(decoder),
        QuantizeCommand.Create(decoder),
    ];

    public static Task<int> InvokeAsync(string[] args, IEnumerable<Command> commands)
    {
        // Numbers read and written the same under every locale: --latency-ms 2.5 is 2.5 ms, not 25 (de-DE reads '.' as a
        // group separator), and "1,180,930 parameters" prints as the README shows it (a latency: Contracts.LatencyText).
        // Every command runs through here.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return Root(commands).Parse(args).InvokeAsync();
    }

    /// <summary>The `ofa` root over <paramref name="commands"/>: what a command line is parsed against (and what the README's tests read).</summary>
    public static RootCommand Root(IEnumerable<Command> commands)
    {
        var root = new RootCommand("ofa: train, import, search, specialize and export Once-for-All supernets.");
        foreach (var command in commands)
            root.Subcommands.Add(command);
        return root;
    }
}
