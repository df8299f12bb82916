using System.Globalization;
using OfaBuild.Contracts;
using OfaBuild.Core.Data;
using OfaBuild.Core.IO;
using OfaBuild.Core.Latency.Profiling;
using OfaBuild.Core.Measurement;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Quantization;

namespace OfaBuild.Cli.Commands;

/// <summary>
/// `ofa quantize --model x.ofa --config cfg.json -o sub.int8.onnx [--dataset fashion-mnist] [--latency-runs N]`:
/// the subnet as a static int8 QDQ model; optionally its top-1 and its latency against fp32.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create(IImageDecoder? decoder)
    {
        var model = CommonOptions.Model("The .ofa supernet package (with calibration images).");
        var output = CommonOptions.Output<FileInfo>("The int8 ONNX file to write.");
        var dataset = new Option<string?>("--dataset") { Description = "Also measure fp32 and int8 top-1 in ONNX Runtime: 'fashion-mnist' or a folder with one sub-folder per label." };
        var dataDir = CommonOptions.DataDir();
        var split = new Option<string>("--split") { Description = "Split to measure top-1 on.", DefaultValueFactory = _ => "test" };
        var runs = new Option<int>("--latency-runs") { Description = "Also time fp32 and int8 alternately this many times each (batch 1, one intra-op thread) and print the medians." }.AtLeast(0);
        var scheme = new Option<Int8Scheme>("--scheme") { Description = "Which ops run in int8: All (default), or FloatDepthwise (depthwise convs stay FP32).", DefaultValueFactory = _ => Int8Scheme.All };
        var profileOps = new Option<int>("--profile-ops") { Description = "Also profile fp32 and int8 per op type with ONNX Runtime's profiler over this many runs, each beside the same model timed without it." }.AtLeast(0);
        var subnet = new SubnetOptions();
        var command = new Command("quantize", "Export a subnet as a static int8 ONNX model (QDQ: int8 per-channel weights, uint8 activations calibrated on the package's images, int32 biases).");
        foreach (var o in new Option[] { model, output, dataset, dataDir, split, runs, scheme, profileOps }) command.Options.Add(o);
        subnet.AddTo(command);
        command.SetAction(result => CliRunner.Run(() =>
        {
            var path = CliRunner.ExistingFile(result.GetValue(model)!);
            var package = OfaPackage.Read(path);
            var space = package.Manifest.Space;
            var config = subnet.Resolve(result, space, required: true)!;
            // The images are found before anything is written: a wrong --dataset leaves no int8 file behind.
            var ds = result.GetValue(dataset);
            var eval = ds is not null
                ? DatasetSplits.ForPackage(ImageDecoding.ForPackage(ds, result.GetValue(dataDir), package.Manifest, decoder), package.Manifest.Holdout, path).Get(result.GetValue(split)!)
                : null;
            if (eval is not null && eval.Channels != space.InputChannels)
                throw new OfaException($"'{path}' takes {space.InputChannels} input channel(s); dataset '{ds}' has {eval.Channels}.");
            var (fp32, int8) = SubnetQuantization.Export(package, config, path, ToolInfo.Version, result.GetValue(scheme));
            var outPath = result.GetValue(output)!.FullName;
            AtomicFile.WriteAllBytes(outPath, int8);

            var ops = OptimizedGraph.OpTypes(int8);
            Console.WriteLine($"wrote {outPath}: {int8.Length / 1024.0:F0} KiB, fp32 {fp32.Length / 1024.0:F0} KiB ({(double)fp32.Length / int8.Length:F2}x smaller)");
            Console.WriteLine($"config {config.ToJson()}");
            Console.WriteLine("ONNX Runtime CPU kernels: " + string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));

            if (eval is not null)
            {
                // The int8 model carries its own calibration; only the evaluation images are used here.
                var measure = new AccuracyMeasurement(package, calibration: eval, evaluation: eval);
                // Its progress as `ofa eval` shows its own: a live bar, or lines on stderr when redirected (stdout keeps the result).
                var display = ProgressDisplay.OnStderr();
                string on = $"{eval.Count} {result.GetValue(split)} images of {ds}";
                double Top1(string which, byte[] onnx) => display.Evaluate($"{which} subnet", on, p => measure.Top1(onnx, config.R, p), "top-1 in ONNX Runtime");
                double a = Top1("fp32", fp32), b = Top1("int8", int8);
                Console.WriteLine($"top-1 on {on}: fp32 {a * 100:F2} %, int8 {b * 100:F2} % ({(b - a) * 100:+0.00;-0.00} points)");
            }
            if (result.GetValue(profileOps) is > 0 and var p)
                foreach (var (name, m) in new[] { ("fp32", fp32), ("int8", int8) })
                    foreach (var line in ProfileLines(name, OperatorProfile.Measure(m, [1, space.InputChannels, config.R, config.R], p)))
                        Console.WriteLine(line);
            if (result.GetValue(runs) is > 0 and var n)
            {
                var t = PairedTiming.Measure(fp32, int8, [1, space.InputChannels, config.R, config.R], n);
                string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"latency (batch 1, 1 thread, {n} alternating runs each, load average {load}): fp32 {LatencyText.Ms(t.MedianMsA)}, int8 {LatencyText.Ms(t.MedianMsB)}; int8/fp32 {t.RatioOfMedians:F2} (median of per-run ratios {t.MedianRatio:F2})"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The per-op profile, then what its figures are against the run without the profiler: ORT times its per-node
    /// bookkeeping inside each kernel event, so on a model of many small ops the kernels' sum exceeds the unprofiled run.
    /// </summary>
    private static IEnumerable<string> ProfileLines(string name, OperatorProfile.Measured m)
    {
        var s = m.Profile;
        yield return $"{name} per op type (ONNX Runtime's profiler; ms per run, median of {m.Runs} runs): "
            + string.Join(", ", s.Ops.Select(o => $"{o.OpType} x{o.Nodes} {LatencyText.Number(o.MedianMs)}"));
        string excess = m.ExcessPerNodeMs > 0
            ? string.Create(CultureInfo.InvariantCulture, $". The profiler's own cost falls inside the kernel events it times (it records each node's shapes and memory statistics): their sum exceeds the whole unprofiled run by {LatencyText.Ms(s.KernelsMs - m.UnprofiledMs)}, {m.ExcessPerNodeMs * 1000:F2} µs per node, so the op types' figures read high")
            : ", which also holds ONNX Runtime's work between kernels";
        yield return $"{name} per run: kernels sum {LatencyText.Ms(s.KernelsMs)} ({s.NodesPerRun} nodes) of the profiled run's {LatencyText.Ms(s.RunMs)}; "
            + $"unprofiled, alternating with it: {LatencyText.Ms(m.UnprofiledMs)}{excess}";
    }
}
