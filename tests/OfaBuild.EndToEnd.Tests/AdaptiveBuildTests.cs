using System.Globalization;
using OfaBuild.Core.Onnx;
using static OfaBuild.EndToEnd.Tests.ConsumerProject;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>An adaptive target as a user declares it: built, every rung embedded, each rung served when pinned.</summary>
[Collection("package")]
public sealed class AdaptiveBuildTests(PackageFixture package)
{
    [Fact]
    public void An_adaptive_target_embeds_its_ladder_and_each_pinned_rung_predicts_like_its_onnx()
    {
        double budget = Budget("x64-avx2", 0.8);
        var app = new ConsumerProject(package, "adaptive");
        File.WriteAllText(Path.Combine(app.Dir, "Net.cs"), $$"""
            namespace E2E
            {
                [OfaBuild.OfaModel("models/net.ofa")]
                [OfaBuild.OfaTarget("x64-avx2", LatencyMs = {{budget.ToString("R", CultureInfo.InvariantCulture)}}, Adaptive = true)]
                public partial class Net;
            }
            """);
        File.WriteAllText(Path.Combine(app.Dir, "Program.cs"), """
            using System.Globalization;

            var input = new float[1 * 28 * 28];
            using var model = E2E.Net.Create("x64-avx2");
            for (int i = 0; i < model.InputLength; i++) input[i] = (float)Math.Sin(i * 0.1);
            Console.WriteLine("rungs: " + string.Join(",", model.Info.Rungs.Select(r => r.Target)));
            for (int rung = 0; rung < model.Info.Rungs.Count; rung++)
            {
                model.PinnedRung = rung;
                var p = model.Predict(input.AsSpan(0, model.InputLength));
                Console.WriteLine($"target {rung} served {model.Info.ServedRung} scores " +
                    string.Join(" ", p.Scores.Select(s => s.ToString("R", CultureInfo.InvariantCulture))));
            }
            """);
        app.Build().Succeeded();
        var manifest = Contracts.TargetManifest.Load(Path.Combine(app.OfaDir(), "x64-avx2.json"));
        Assert.NotEmpty(manifest.Ladder);

        var run = app.Run().Succeeded();
        Assert.Contains("rungs: x64-avx2," + string.Join(",", manifest.Ladder.Select((_, i) => $"x64-avx2/rung{i + 1}")), run.Output);
        var scores = ConsumerProject.Scores(run.Output);
        Assert.Equal(manifest.Ladder.Count + 1, scores.Count);
        int r0 = manifest.Config.R;
        var input = Input(r0);
        var files = manifest.Ladder.Select(l => (l.Onnx, l.Config.R)).Prepend((manifest.Onnx, r0)).ToArray();
        for (int rung = 0; rung < files.Length; rung++)
        {
            Assert.Contains($"target {rung} served {rung} ", run.Output);
            var (onnx, r) = files[rung];
            var x = new float[r * r];
            Runtime.ImageInput.Resize(input, 1, r0, x, r); // the runtime's rule for a lower-resolution rung
            using var ort = new OnnxModelRunner(File.ReadAllBytes(Path.Combine(app.OfaDir(), onnx)));
            AssertClose(Softmax(ort.RunFirst(x, [1, 1, r, r])), scores[rung.ToString(CultureInfo.InvariantCulture)], 1e-5);
        }
    }
}
