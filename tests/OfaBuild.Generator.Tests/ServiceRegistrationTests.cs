using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using OfaBuild.Runtime;

namespace OfaBuild.Generator.Tests;

/// <summary>
/// Create(target, options) and the services.Add&lt;Class&gt;() registration, compiled with the runtime and run; the
/// registration exists only when the app references Microsoft.Extensions.DependencyInjection.Abstractions.
/// </summary>
public class ServiceRegistrationTests
{
    private const string Source = """
        using System;
        using Microsoft.Extensions.DependencyInjection;
        using OfaBuild;
        using OfaBuild.Runtime;

        namespace Demo;

        [OfaModel("models/tiny.ofa")]
        [OfaTarget("host", LatencyMs = 2)]
        public partial class Classifier;

        public static class Probe
        {
            public static object[] Resolve(float[] input)
            {
                var services = new ServiceCollection().AddClassifier("host", new OfaSessionOptions { IntraOpThreads = 2 });
                using (var provider = services.BuildServiceProvider())
                {
                    var a = provider.GetRequiredService<Classifier>();
                    var b = provider.GetRequiredService<Classifier>();
                    var p = a.Predict(input);
                    return new object[] { ReferenceEquals(a, b), a.Info.Target, System.Linq.Enumerable.ToArray(p.Scores) };
                }
            }

            public static float[] WithOptions(float[] input)
            {
                using var c = Classifier.Create("host", new OfaSessionOptions { IntraOpThreads = 2, GraphOptimization = Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_BASIC });
                return System.Linq.Enumerable.ToArray(c.Predict(input).Scores);
            }

            public static float[] Default(float[] input)
            {
                using var c = Classifier.Create("host");
                return System.Linq.Enumerable.ToArray(c.Predict(input).Scores);
            }
        }
        """;

    private static IReadOnlyList<MetadataReference> DependencyInjection =>
    [
        MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ServiceProvider).Assembly.Location), // the container: BuildServiceProvider
    ];

    private static (GeneratorDriverRunResult Result, Compilation Output) Generate(bool withDependencyInjection)
    {
        var compilation = GeneratorHarness.Compilation(Source);
        compilation = withDependencyInjection
            ? compilation.AddReferences(DependencyInjection)
            : compilation.RemoveAllSyntaxTrees().AddSyntaxTrees(CSharpSyntaxTree.ParseText(
                "using OfaBuild; namespace Demo; [OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 2)] public partial class Classifier;", GeneratorHarness.Parse));
        var host = TestModels.Manifest("host", [CpuFacts.Current.PortableRid], 2);
        var (result, output, diagnostics) = new GeneratorHarness().Run(compilation, [ManifestFile.For("Demo.Classifier", host)]);
        Assert.Empty(diagnostics);
        return (result, output);
    }

    [Fact]
    public void A_keyword_named_class_in_a_commented_namespace_gets_its_targets_and_registration()
    {
        // The build task files manifests under plain names ("Demo.Vision.class"); the generator matches them so and
        // escapes the names in code.
        var compilation = GeneratorHarness.Compilation(
            "using OfaBuild; namespace Demo /* app */ . Vision; [OfaModel(\"models/tiny.ofa\")][OfaTarget(\"host\", LatencyMs = 2)] public partial class @class;")
            .AddReferences(DependencyInjection);
        var (result, output, diagnostics) = new GeneratorHarness().Run(compilation, [ManifestFile.For("Demo.Vision.class", TestModels.Manifest("host", [CpuFacts.Current.PortableRid], 2))]);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("OfaBuild.Demo.Vision.class.Services.g.cs", StringComparison.Ordinal));
        Assert.Contains("\"OfaBuild/Demo.Vision.class/host.onnx\"", result.GeneratedTrees.Single(t => t.FilePath.EndsWith("OfaBuild.Demo.Vision.class.g.cs", StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void Without_the_DI_abstractions_no_registration_is_generated()
    {
        var (result, output) = Generate(withDependencyInjection: false);
        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith(".Services.g.cs", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void The_registration_is_one_shared_instance_with_the_apps_options_and_options_keep_predictions()
    {
        var (result, output) = Generate(withDependencyInjection: true);
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("OfaBuild.Demo.Classifier.Services.g.cs", StringComparison.Ordinal));
        var probe = Probe.Load(output, ("OfaBuild/Demo.Classifier/host.onnx", TestModels.Onnx));
        T Call<T>(string method, params object?[] args) => probe.Call<T>(method, args);

        var input = new float[TestModels.Resolution * TestModels.Resolution];
        for (int i = 0; i < input.Length; i++) input[i] = (float)Math.Sin(i * 0.3);
        var expected = Call<float[]>("Default", input);
        var resolved = Call<object[]>("Resolve", input);
        Assert.True((bool)resolved[0]); // a singleton
        Assert.Equal("host", resolved[1]);
        var withOptions = Call<float[]>("WithOptions", input);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], ((float[])resolved[2])[i], 5);
            Assert.Equal(expected[i], withOptions[i], 5);
        }
    }
}
