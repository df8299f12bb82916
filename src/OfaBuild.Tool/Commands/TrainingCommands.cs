using System.CommandLine;

namespace OfaBuild.Tool.Commands;

/// <summary>The commands the full tool adds to the build-host ones: they load TorchSharp (train, eval, bench) or Skia (report).</summary>
internal static class TrainingCommands
{
    public static IEnumerable<Command> All() =>
    [
        TrainCommand.Create(),
        EvalCommand.Create(),
        BenchCommand.Create(),
        ReportCommand.Create(),
    ];
}
