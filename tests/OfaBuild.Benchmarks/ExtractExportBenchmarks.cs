using BenchmarkDotNet.Attributes;
using OfaBuild.Core.Extraction;
using OfaBuild.Core.Onnx;
using OfaBuild.Core.Space;
using OfaBuild.Core.Tensors;

namespace OfaBuild.Benchmarks;

/// <summary>
/// Extract + export of the largest mbv3-w1.0 subnet at 224 (1000 classes, 7.7M-parameter supernet).
/// Goal: at most 150 ms; the reference's PyTorch ONNX export alone takes 0.35-1.2 s per subnet.
/// </summary>
public class ExtractExportBenchmarks
{
    private SearchSpace _space = null!;
    private TensorSet _weights = null!;
    private SubnetConfig _largest = null!, _smallest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _space = Presets.Get(Presets.MobileNetV3W10);
        _weights = RandomSupernet.Create(_space, 1);
        _largest = SubnetConfig.Largest(_space);
        _smallest = SubnetConfig.Smallest(_space);
    }

    [Benchmark]
    public byte[] LargestW10At224() => SubnetOnnxExporter.Export(SubnetExtractor.Extract(_space, _weights, _largest));

    [Benchmark]
    public byte[] SmallestW10At128() => SubnetOnnxExporter.Export(SubnetExtractor.Extract(_space, _weights, _smallest));
}
