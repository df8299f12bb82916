using System.Diagnostics;
using OfaBuild.Core.Counting;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.IO;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Cli.Commands;

/// <summary>`ofa export --model x.ofa --config cfg.json -o sub.onnx`: extract a subnet and write it as ONNX.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = CommonOptions.Output<FileInfo>("The ONNX file to write.");
        var subnet = new SubnetOptions();
        var command = new Command("export", "Extract a subnet of a supernet (no retraining) and export it to ONNX (IR 8, opset 17, BN folded).");
        command.Options.Add(model);
        command.Options.Add(output);
        subnet.AddTo(command);
        command.SetAction(result => CliRunner.Run(() =>
        {
            var package = OfaPackage.Read(CliRunner.ExistingFile(result.GetValue(model)!));
            var space = package.Manifest.Space;
            var config = subnet.Resolve(result, space, required: true)!;

            var sw = Stopwatch.StartNew();
            var onnx = SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, package.Weights, config), producerVersion: ToolInfo.Version);
            var elapsed = sw.Elapsed;
            var path = result.GetValue(output)!.FullName;
            AtomicFile.WriteAllBytes(path, onnx);

            Console.WriteLine($"wrote {path} ({onnx.Length / 1024.0:F0} KiB) in {elapsed.TotalMilliseconds:F0} ms");
            Console.WriteLine($"config {config.ToJson()}");
            Console.WriteLine($"MACs {SubnetCost.Macs(space, config):N0}, params {SubnetCost.Params(space, config):N0}");
            return 0;
        }));
        return command;
    }
}
