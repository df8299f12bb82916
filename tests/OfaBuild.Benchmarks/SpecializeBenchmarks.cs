using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using OfaBuild.Contracts;
using OfaBuild.Core.Specialization;
using OfaBuild.TestSupport;

namespace OfaBuild.Benchmarks;

/// <summary>
/// `ofa specialize` end to end on the default supernet (samples/models/fashion-mnist.ofa): read the package,
/// search with its predictor on the cortex-a53 table, extract, recalibrate BN on its 500 images, export, write
/// the manifest. Goal: at most 3 s. Each operation takes about a second, so few iterations.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SpecializeBenchmarks
{
    private string _model = null!, _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model = Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa");
        _output = Directory.CreateTempSubdirectory("ofa-bench-specialize-").FullName;
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_output, recursive: true);

    [Benchmark(Description = "ofa specialize, default supernet, cortex-a53 at 4 ms")]
    public TargetManifest Specialize() => Specializer.Run(new SpecializeRequest(_model, "cortex-a53", 4, _output)).Manifest;
}
