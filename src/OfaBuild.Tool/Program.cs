using OfaBuild.Cli.Commands;
using OfaBuild.Tool.Commands;
using OfaBuild.Training.Native;

// Before any command can load TorchSharp: the tool fixes its own copy of the library, wherever it was installed.
TorchSharpDebianFix.Apply();
return await CommandList.InvokeAsync(args, [.. CommandList.Host(), .. TrainingCommands.All()]);
