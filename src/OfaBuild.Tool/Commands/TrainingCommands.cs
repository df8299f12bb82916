using System.CommandLine;
using OfaBuild.Core.Data;

namespace OfaBuild.Tool.Commands;

/// <summary>The commands the full tool adds to the build-host ones: they load TorchSharp (train, eval, bench) or Skia (report).</summary>
internal static class TrainingCommands
{
    public static IEnumerable<Command> All(IImageDecoder decoder) =>
    [
        TrainCommand.Create(decoder),
        EvalCommand.Create(decoder),
        BenchCommand.Create(),
        ReportCommand.Create(),
    ];
}
