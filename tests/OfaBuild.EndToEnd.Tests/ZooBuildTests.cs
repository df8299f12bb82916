using System.Globalization;
using OfaBuild.Core.Devices;
using OfaBuild.Core.Import;
using OfaBuild.Core.Packaging;
using OfaBuild.Core.Accuracy;
using OfaBuild.Core.Latency;
using OfaBuild.Core.Space;
using OfaBuild.Core.Specialization;

namespace OfaBuild.EndToEnd.Tests;

/// <summary>
/// The authors' files through the build: a w1.2 supernet in the model zoo's format (legacy torch.save,
/// {"state_dict", "epoch"}, CUDA-tagged; untrained weights written by <see cref="LegacyTorchWriter"/>) imported with
/// the authors' acc_predictor.pth, then an app with [OfaTarget("note10", LatencyMs = 25)] built and run.
/// </summary>
[Collection("package")]
public sealed class ZooBuildTests(PackageFixture package)
{
    [Fact]
    public void A_zoo_checkpoint_with_the_authors_predictor_builds_for_note10_and_Info_shows_their_numbers()
    {
        var dir = Path.Combine(package.Root, "zoo");
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        var space = Presets.Get(Presets.MobileNetV3W12);
        var zooFile = Path.Combine(dir, "ofa_mbv3_d234_e346_k357_w1.2");
        File.WriteAllBytes(zooFile, LegacyTorchWriter.Write(RandomSupernet.Create(space, seed: 3), wrap: true));
        var imported = ReferenceImporter.Import(zooFile, space);
        var w12 = TutorialPredictorImporter.AddTo(imported, Fixtures.Tutorial("acc_predictor.pth"));
        var modelPath = Path.Combine(dir, "models", "w12.ofa");
        w12.Write(modelPath);
        File.Delete(zooFile);

        WriteApp(dir, package);
        Shell.Dotnet(dir, "build").Succeeded();
        var run = Shell.Dotnet(dir, Path.Combine(dir, "bin", "Debug", "net10.0", "zoo.dll")).Succeeded();

        // What the build embedded is what the same search finds in this process, with the authors' predictor and the Note10 table.
        var target = TargetProblem.Create(OfaPackage.Read(modelPath), "note10", 25);
        var found = Core.Search.EvolutionSearch.Run(target.Problem, Core.Search.EvolutionOptions.Default(0)).Best.Config.Canonical(space);
        var note10 = DeviceCatalog.Builtin().LatencyTable("note10", space).Compile(space);
        double accuracy = PackagePredictor.Load(w12)!.Predict(found);
        var info = run.Output.Split('\n').Single(l => l.StartsWith("info ", StringComparison.Ordinal)).Trim().Split(' ');
        Assert.Equal("note10", info[1]);
        Assert.Equal(found.ToJson(), info[3]);
        Assert.Equal(accuracy, double.Parse(info[5], CultureInfo.InvariantCulture), 5);
        Assert.Equal(note10.Predict(found), double.Parse(info[7], CultureInfo.InvariantCulture), 5);
        Assert.True(double.Parse(info[7], CultureInfo.InvariantCulture) <= 25);
        Assert.Contains("measured", info[9]);
        Assert.Equal("0.875", info[11]); // the reference's ImageNet evaluation crop, carried from the import to the app
        Assert.Contains("scores 1000", run.Output);
    }

    private static void WriteApp(string dir, PackageFixture package)
    {
        package.WriteAppProject(dir, "zoo");
        File.WriteAllText(Path.Combine(dir, "Net.cs"), """
            namespace Zoo
            {
                [OfaBuild.OfaModel("models/w12.ofa")]
                [OfaBuild.OfaTarget("note10", LatencyMs = 25)]
                public partial class Net;
            }
            """);
        File.WriteAllText(Path.Combine(dir, "Program.cs"), """
            using System.Globalization;

            var inv = CultureInfo.InvariantCulture;
            foreach (var t in Zoo.Net.EmbeddedTargets)
            {
                Console.WriteLine(string.Create(inv, $"info {t.Target} config {t.ConfigJson} accuracy {t.PredictedAccuracy:R} latency {t.PredictedLatencyMs:R} table {t.TableKind} crop {t.Input.CenterCrop:R}"));
                using var model = Zoo.Net.Create(t.Target);
                var p = model.Predict(new float[model.InputLength]);
                Console.WriteLine($"scores {p.Scores.Count}");
            }
            """);
    }
}
