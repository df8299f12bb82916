namespace OfaBuild.Core.Tests.Onnx;

/// <summary>
/// Cross-checks exports with the official ONNX checker (Debian's python3-onnx, installed by
/// build/install-deps.sh): an independent reader of the format, not our own.
/// </summary>
public class OnnxCheckerTests
{
    [Theory]
    [InlineData(BatchNormMode.Fold)]
    [InlineData(BatchNormMode.Calibrate)]
    public void Official_checker_accepts_the_export(BatchNormMode mode)
    {
        var space = TestSpaces.ForExport();
        var subnet = SubnetExtractor.Extract(space, RandomSupernet.Create(space, 5), SubnetConfig.Sample(space, new Random(5)));
        var path = Path.Combine(Path.GetTempPath(), $"ofa-check-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, SubnetOnnxExporter.Export(subnet, mode));
        try
        {
            var (code, output) = RunPython(
                "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); " +
                "print(m.ir_version, m.opset_import[0].version, m.graph.input[0].name, m.graph.output[0].name)", path);
            Assert.True(code == 0, output);
            Assert.Equal("8 17 input logits", output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (int Code, string Output) RunPython(string script, string arg)
    {
        var r = ProcessRunner.Run("/usr/bin/python3", ["-c", script, arg]);
        return (r.ExitCode, r.Stdout + r.Stderr);
    }
}
