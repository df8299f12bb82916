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
        ImportCommand.Create(decoder),
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
        var parsed = Root(commands).Parse(args);
        if (SupernetWithoutOption(parsed, args) is { } refusal)
        {
            Console.Error.WriteLine($"error: {refusal}");
            return Task.FromResult(1);
        }
        return parsed.InvokeAsync();
    }

    /// <summary>
    /// A supernet given bare (`ofa inspect x.ofa`) to a command that takes it with `--model`: System.CommandLine would say
    /// "Unrecognized command or argument" above the whole help. Names the file and the command line that works; null otherwise.
    /// </summary>
    internal static string? SupernetWithoutOption(ParseResult parsed, IReadOnlyList<string> args)
    {
        var command = parsed.CommandResult.Command;
        var model = command.Options.FirstOrDefault(o => o.Name == "--model");
        var bare = parsed.UnmatchedTokens.FirstOrDefault(t => t.EndsWith(".ofa", StringComparison.OrdinalIgnoreCase));
        if (model is null || bare is null || parsed.GetResult(model) is { Implicit: false }) return null;
        var fixedArgs = args.SelectMany(a => a == bare ? new[] { "--model", a } : [a]);
        return $"'{bare}' is a supernet given without its option; `ofa {command.Name}` takes it as --model: ofa {string.Join(" ", fixedArgs)}";
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
