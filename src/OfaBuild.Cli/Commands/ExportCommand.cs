using System.CommandLine;

namespace OfaBuild.Cli.Commands;

internal static class ExportCommand
{
    public static Command Create() => new("export", "Extract a subnet and export it to ONNX.");
}
