using System.CommandLine;
using OfaBuild.Cli.Commands;

var root = new RootCommand("ofa: train, import, search, specialize and export Once-for-All supernets.");
foreach (var command in CommandList.All())
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
