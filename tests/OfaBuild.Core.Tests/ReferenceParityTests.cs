namespace OfaBuild.Core.Tests;

/// <summary>
/// The parity that says our OFA is OFA: the reference checkpoint imported, written as .ofa and read
/// back, each of the 8 expected.json subnets extracted and exported, run in ONNX Runtime on the
/// closed-form input, gives the reference's logits to 1e-5.
/// </summary>
public class ReferenceParityTests : IClassFixture<ReferenceParityTests.ImportedReference>
{
    public sealed class ImportedReference
    {
        public OfaPackage Package { get; }

        public ImportedReference()
        {
            var imported = ReferenceImporter.Import(Fixtures.Reference("supernet_state_dict.pt"), Presets.Get(Presets.MobileNetV3W10, 10));
            Package = OfaPackage.Read(new MemoryStream(imported.ToBytes()), "imported reference");
        }
    }

    private readonly OfaPackage _package;

    public ReferenceParityTests(ImportedReference reference) => _package = reference.Package;

    [Theory]
    [MemberData(nameof(ReferenceCase.Names), MemberType = typeof(ReferenceCase))]
    public void Exported_subnet_gives_the_reference_logits(string name)
    {
        var c = ReferenceCase.Get(name);
        var space = _package.Manifest.Space;
        var onnx = SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, _package.Weights, c.Config));
        using var runner = new OnnxModelRunner(onnx);
        int r = c.Config.R;
        var logits = runner.RunFirst(ReferenceCase.ClosedFormInput(2, 3, r), [2, 3, r, r]);
        Close.All(c.Logits.SelectMany(row => row).ToArray(), logits, 1e-5);
    }

    [Fact]
    public void Ignoring_the_kernel_transform_matrices_breaks_parity()
    {
        // Guards the test itself: the fixture's transforms are identity plus noise, so a plain
        // centre crop must miss the expected logits.
        var c = ReferenceCase.Get("min_r128");
        var space = _package.Manifest.Space;
        var identity = new TensorSet("identity transforms");
        foreach (var (n, t) in _package.Weights.Items)
        {
            if (!n.EndsWith("_matrix", StringComparison.Ordinal)) { identity.Add(n, t); continue; }
            int k = t.Shape[0];
            identity.Add(n, Tensor.FromFloats(t.Shape, Enumerable.Range(0, k * k).Select(i => i / k == i % k ? 1f : 0f).ToArray()));
        }
        using var runner = new OnnxModelRunner(SubnetOnnxExporter.Export(SubnetExtractor.Extract(space, identity, c.Config)));
        var logits = runner.RunFirst(ReferenceCase.ClosedFormInput(2, 3, 128), [2, 3, 128, 128]);
        var expected = c.Logits.SelectMany(row => row).ToArray();
        Assert.True(expected.Zip(logits, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
    }
}
