using System.CommandLine;

namespace OfaBuild.Cli.Commands;

/// <summary>Every `ofa` subcommand; each lives in its own file.</summary>
internal static class CommandList
{
    public static IEnumerable<Command> All() =>
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
#if !OFA_TOOL_ONLY
        TrainCommand.Create(),
        EvalCommand.Create(),
        BenchCommand.Create(),
        ReportCommand.Create(),
#endif
    ];
}
