using System.CommandLine;

namespace OfaBuild.Cli.Commands;

/// <summary>Every `ofa` subcommand; each lives in its own file.</summary>
internal static class CommandList
{
    public static IEnumerable<Command> All() =>
    [
        ImportCommand.Create(),
        ExportCommand.Create(),
        InspectCommand.Create(),
        ProfileCommand.Create(),
        TrainCommand.Create(),
        EvalCommand.Create(),
    ];
}
