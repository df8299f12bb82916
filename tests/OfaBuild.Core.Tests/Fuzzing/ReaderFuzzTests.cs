using System.Text;
using OfaBuild.Core.Tests.Checkpoints;
using OfaBuild.Core.Tests.Packaging;
using Xunit.Abstractions;

namespace OfaBuild.Core.Tests.Fuzzing;

/// <summary>
/// Every reader of outside input, fed seeded mutations of valid files (see <see cref="FuzzRunner"/>).
/// The suite runs a slice; `OFABUILD_FUZZ_COUNT=10000 dotnet test --filter ReaderFuzzTests` runs the full set.
/// </summary>
public sealed class ReaderFuzzTests(ITestOutputHelper output)
{
    private static string Text(byte[] b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Safetensors()
    {
        var set = new TensorSet("seed");
        set.Add("a.weight", Tensor.FromFloats([2, 3], [1, 2, 3, 4, 5, 6]));
        set.Add("b", Tensor.FromBytes(DType.I64, [2], BitConverter.GetBytes(7L).Concat(BitConverter.GetBytes(9L)).ToArray()));
        set.Add("c", Tensor.FromBytes(DType.U8, [4], [1, 2, 3, 4]));
        var seed = SafeTensors.Write(set, new Dictionary<string, string> { ["format"] = "pt" });
        output.WriteLine(FuzzRunner.Run("safetensors", [seed], b => SafeTensors.Read(b, "fuzz.safetensors"), text: false).ToString());
    }

    [Fact]
    public void Ofa_packages()
    {
        var seed = TestPackage.Create().ToBytes();
        output.WriteLine(FuzzRunner.Run(".ofa (whole file)", [seed], b => OfaPackage.Read(new MemoryStream(b), "fuzz.ofa"), text: false).ToString());
    }

    [Fact]
    public void Ofa_package_manifests()
    {
        // The zip's checksums stop most whole-file damage early; re-zipping a damaged manifest reaches its validation.
        var package = TestPackage.Create(withExtras: false);
        var weights = SafeTensors.Write(package.Weights);
        output.WriteLine(FuzzRunner.Run(".ofa manifest.json", [package.Manifest.ToJsonBytes()], b => OfaPackage.Read(
            new MemoryStream(PackageArchive.Write([(PackageArchive.ManifestEntry, b), (PackageArchive.WeightsEntry, weights)])), "fuzz.ofa"), text: true).ToString());
    }

    [Fact]
    public void Pytorch_checkpoints()
    {
        var seed = File.ReadAllBytes(CheckpointData.File("torch113_wrapped.pt"));
        output.WriteLine(FuzzRunner.Run("PyTorch checkpoint", [seed], b => TorchCheckpoint.ReadStateDict(new MemoryStream(b), "fuzz.pt"), text: false).ToString());
    }

    [Fact]
    public void Legacy_pytorch_checkpoints()
    {
        var seed = File.ReadAllBytes(CheckpointData.File("torch113_legacy_wrapped.pt"));
        output.WriteLine(FuzzRunner.Run("legacy PyTorch checkpoint", [seed], b => TorchCheckpoint.ReadStateDict(new MemoryStream(b), "fuzz.pth"), text: false).ToString());
    }

    [Fact]
    public void Device_files()
    {
        var dir = Path.Combine(Fixtures.RepoRoot, "src", "OfaBuild.Core", "Devices", "catalog");
        var seeds = Directory.GetFiles(dir, "*.json").Order().Select(File.ReadAllBytes).ToArray();
        var space = TestSpaces.ForPackage();
        output.WriteLine(FuzzRunner.Run("device file", seeds, b =>
        {
            var d = DeviceFile.Parse(Text(b), "fuzz-device.json");
            if (d.Constants is not null) RooflineModel.BuildTable(d.Name, space, d.Constants);
        }, text: true).ToString());
    }

    [Fact]
    public void Estimated_latency_tables_round_trip_through_their_file_format()
    {
        var space = TestSpaces.ForPackage();
        var table = DeviceCatalog.Builtin().LatencyTable("cortex-a53", space);
        var back = LatencyTableFile.Parse(LatencyTableFile.ToJson(table), "round trip");
        Assert.Equal(table.Predict(space, SubnetConfig.Largest(space)), back.Predict(space, SubnetConfig.Largest(space)), 9);
    }

    [Fact]
    public void Latency_tables()
    {
        var space = TestSpaces.ForPackage();
        var table = DeviceCatalog.Builtin().LatencyTable("cortex-a53", space);
        var seed = Encoding.UTF8.GetBytes(LatencyTableFile.ToJson(table));
        output.WriteLine(FuzzRunner.Run("latency table", [seed], b =>
        {
            var t = LatencyTableFile.Parse(Text(b), "fuzz-table.json");
            if (t.CoveredResolutions(space).Count > 0) t.Compile(space);
        }, text: true).ToString());
    }

    [Fact]
    public void Subnet_configs()
    {
        var space = Presets.Get(Presets.MobileNetV3W10);
        var seeds = new[] { SubnetConfig.Largest(space), SubnetConfig.Smallest(space), SubnetConfig.Sample(space, new Random(1)) }
            .Select(c => Encoding.UTF8.GetBytes(c.ToJson())).ToArray();
        output.WriteLine(FuzzRunner.Run("subnet config", seeds, b => SubnetConfig.FromJson(Text(b), "fuzz-config.json").Validate(space), text: true).ToString());
    }

    /// <summary>The contract's reader refuses with ManifestFormatException (a FormatException: Contracts knows no OfaException).</summary>
    private static Contracts.TargetManifest ReadManifest(string json)
    {
        try { return Contracts.TargetManifest.FromJson(json, "fuzz-target.json"); }
        catch (Contracts.ManifestFormatException ex) { throw new OfaFormatException(ex.Message, ex); }
    }

    [Fact]
    public void Target_manifests()
    {
        var seed = File.ReadAllBytes(Path.Combine(Fixtures.RepoRoot, "tests", "OfaBuild.Core.Tests", "Fuzzing", "target-manifest.json"));
        output.WriteLine(FuzzRunner.Run("target manifest", [seed], b => ReadManifest(Text(b)), text: true).ToString());
    }
}
