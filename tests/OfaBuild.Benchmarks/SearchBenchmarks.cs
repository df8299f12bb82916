using BenchmarkDotNet.Attributes;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Search;
using OfaBuild.Core.Space;
using OfaBuild.Core.Accuracy;

namespace OfaBuild.Benchmarks;

/// <summary>
/// The search benchmark: the reference's evolution (500 generations x population 100 = 50,100
/// predictor evaluations) with the 3 x 400 MLP (random weights) and a latency table for mbv3-w1.0
/// (the cortex-a76 estimated table, compiled for the space). Goal: <= 0.5 s; the reference's Python takes 31.1 s.
/// Beside it, what `ofa search` and the build run on the same problem (EvolutionOptions.Default: 8 starts, the best 3 refined).
/// </summary>
public class SearchBenchmarks
{
    private SearchProblem _problem = null!;
    private AccuracyPredictor _predictor = null!;
    private SubnetConfig[] _batch = null!;
    private float[] _out = null!;

    [GlobalSetup]
    public void Setup()
    {
        var space = Presets.Get(Presets.MobileNetV3W10);
        _predictor = AccuracyPredictor.CreateRandom(ArchEncoder.For(space), seed: 1, baseAccuracy: 0.7f);
        var latency = DeviceCatalog.Builtin().LatencyTable("cortex-a76", space).Compile(space);
        double budget = (latency.Predict(SubnetConfig.Smallest(space)) + latency.Predict(SubnetConfig.Largest(space))) / 2;
        _problem = new SearchProblem(space, _predictor, [Constraint.Latency(latency, budget)]);
        var rng = new Random(1);
        _batch = Enumerable.Range(0, 100).Select(_ => SubnetConfig.Sample(space, rng)).ToArray();
        _out = new float[100];
    }

    [Benchmark(Baseline = true, Description = "EvolutionSearch 500 gen x 100 pop")]
    public SearchResult Search() => EvolutionSearch.Run(_problem, new EvolutionOptions { Seed = 7 });

    [Benchmark(Description = "Default search (8 starts, best 3 refined)")]
    public SearchResult DefaultSearch() => EvolutionSearch.Run(_problem, EvolutionOptions.Default(7));

    [Benchmark(Description = "Predictor batch of 100")]
    public float PredictBatch()
    {
        _predictor.PredictMany(_batch, _out);
        return _out[0];
    }
}
