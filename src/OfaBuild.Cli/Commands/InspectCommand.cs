using System.CommandLine;

namespace OfaBuild.Cli.Commands;

internal static class InspectCommand
{
    public static Command Create() => new("inspect", "Print a .ofa package: space, contents, and a config's MACs and parameters.");
}
