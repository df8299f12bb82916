using OfaBuild.Cli.Commands;
using OfaBuild.Imaging;
using OfaBuild.Tool.Commands;
using OfaBuild.Training.Native;

// Before any command can load TorchSharp: the tool fixes its own copy of the library, wherever it was installed.
TorchSharpDebianFix.Apply();
var decoder = new SkiaImageDecoder();
return await CommandList.InvokeAsync(args, TrainingCommands.Tool(decoder));
