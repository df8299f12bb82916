using System.CommandLine;

namespace OfaBuild.Cli.Commands;

/// <summary>The build-host `ofa` subcommands (each in its own file) and the root command over a set of them.</summary>
internal static class CommandList
{
    public static IEnumerable<Command> Host() =>
    [
        InitCommand.Create(),
        ImportCommand.Create(),
        ExportCommand.Create(),
        InspectCommand.Create(),
        ProfileCommand.Create(),
        SearchCommand.Create(),
        SpecializeCommand.Create(),
        MeasureCommand.Create(),
        QuantizeCommand.Create(),
    ];

    public static Task<int> InvokeAsync(string[] args, IEnumerable<Command> commands)
    {
        var root = new RootCommand("ofa: train, import, search, specialize and export Once-for-All supernets.");
        foreach (var command in commands)
            root.Subcommands.Add(command);
        return root.Parse(args).InvokeAsync();
    }
}
