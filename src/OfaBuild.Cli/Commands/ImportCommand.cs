using System.CommandLine;

namespace OfaBuild.Cli.Commands;

internal static class ImportCommand
{
    public static Command Create() => new("import", "Import a PyTorch checkpoint of the reference OFA implementation into a .ofa package.");
}
