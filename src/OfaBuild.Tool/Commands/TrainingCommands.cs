using System.CommandLine;
using OfaBuild.Cli.Commands;
using OfaBuild.Core.Data;

namespace OfaBuild.Tool.Commands;

/// <summary>The commands the full tool adds to the build-host ones: they load TorchSharp (train, eval, bench) or Skia (report).</summary>
internal static class TrainingCommands
{
    /// <summary>Every command of the full tool: the build-host ones (<see cref="CommandList.Host"/>) and these.</summary>
    public static IEnumerable<Command> Tool(IImageDecoder decoder) => [.. CommandList.Host(decoder), .. All(decoder)];

    public static IEnumerable<Command> All(IImageDecoder decoder) =>
    [
        TrainCommand.Create(decoder),
        EvalCommand.Create(decoder),
        BenchCommand.Create(),
        ReportCommand.Create(),
    ];
}
