using System.Security.Cryptography;
using System.Text;

namespace OfaBuild.Core.Tests.Packaging;

public sealed class OfaPackageTests : TempDirTest
{
    private const string Src = "models/tiny.ofa";

    private static OfaPackage ReadBytes(byte[] bytes) => OfaPackage.Read(new MemoryStream(bytes), Src);

    private static OfaFormatException Fails(byte[] bytes)
    {
        var ex = Assert.Throws<OfaFormatException>(() => ReadBytes(bytes));
        Assert.StartsWith(Src, ex.Message);
        return ex;
    }

    /// <summary>A package container written without the writer's validation, to hold damage.</summary>
    private static byte[] RawPackage(OfaManifest manifest, TensorSet? weights, params (string, byte[])[] extra)
    {
        var entries = new List<(string, byte[])> { (PackageArchive.ManifestEntry, manifest.ToJsonBytes()) };
        if (weights is not null) entries.Add((PackageArchive.WeightsEntry, SafeTensors.Write(weights)));
        entries.AddRange(extra);
        return PackageArchive.Write(entries);
    }

    private static void AssertSameTensors(TensorSet expected, TensorSet actual)
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var (name, t) in expected.Items)
        {
            Assert.Equal(t.DType, actual[name].DType);
            Assert.Equal(t.Shape, actual[name].Shape);
            Assert.True(t.Bytes.SequenceEqual(actual[name].Bytes), name);
        }
    }

    [Fact]
    public void Round_trip_keeps_manifest_and_all_tensors()
    {
        var package = TestPackage.Create();
        var back = ReadBytes(package.ToBytes());

        Assert.Equal(package.Manifest.ToJson(), back.Manifest.ToJson());
        Assert.Equal(2, back.Manifest.Space.Stages.Count);
        Assert.Equal(Activation.HSwish, back.Manifest.Space.Stages[1].Activation);
        Assert.Equal(0.353, back.Manifest.Normalization.Std[0]);
        Assert.Equal(["shirt", "shoe", "bag"], back.Manifest.Labels);
        Assert.Equal(0.9, back.Manifest.Predictor!.Spearman);
        Assert.Null(back.Manifest.Predictor.TrainSamples);
        AssertSameTensors(package.Weights, back.Weights);
        AssertSameTensors(package.Predictor!, back.Predictor!);
        AssertSameTensors(package.Calibration!, back.Calibration!);
        Assert.Equal($"{Src} [weights.safetensors]", back.Weights.Source);
    }

    [Fact]
    public void Optional_sections_may_be_absent()
    {
        var back = ReadBytes(TestPackage.Create(withExtras: false).ToBytes());
        Assert.Null(back.Predictor);
        Assert.Null(back.Calibration);
        Assert.Null(back.Manifest.Predictor);
        Assert.DoesNotContain("predictor", back.Manifest.ToJson());
    }

    [Fact]
    public void The_shipped_supernet_describes_its_predictor_as_the_mlp_rule_does()
    {
        var package = OfaPackage.Read(Fixtures.RepoFile("samples", "models", "fashion-mnist.ofa"));
        var stored = package.Manifest.Predictor!;
        var described = PredictorInfo.Mlp(Core.Accuracy.PackagePredictor.Load(package)!, package.Manifest.Space);
        Assert.Equal(stored.Kind, described.Kind);
        Assert.Equal(stored.Encoding, described.Encoding);
        Assert.Equal(stored.InputSize, described.InputSize);
        Assert.Equal(stored.HiddenSizes, described.HiddenSizes);
        Assert.Equal([400, 400, 400], described.HiddenSizes);
    }

    [Fact]
    public void A_predictor_recorded_as_trained_on_another_space_is_refused()
    {
        var package = TestPackage.Create();
        var other = package.Manifest.Space with { Resolutions = [.. package.Manifest.Space.Resolutions.Skip(1)] };
        var manifest = package.Manifest with { Predictor = package.Manifest.Predictor! with { TrainedOn = Core.Accuracy.TrainingSpace.Of(other).Describe() } };
        var ex = Fails(RawPackage(manifest, package.Weights, (PackageArchive.PredictorEntry, SafeTensors.Write(package.Predictor!)), (PackageArchive.CalibrationEntry, SafeTensors.Write(package.Calibration!))));
        Assert.Contains("manifest.json predictor.trained_on: the accuracy predictor was trained on another search space", ex.Message);
        Assert.Contains($"resolutions {string.Join(',', other.Resolutions)} (the package's: {string.Join(',', package.Manifest.Space.Resolutions)})", ex.Message);
        Assert.Contains("Run `ofa measure`", ex.Message);

        // Trained on the package's own space, it reads.
        var own = manifest with { Predictor = manifest.Predictor with { TrainedOn = Core.Accuracy.TrainingSpace.Of(package.Manifest.Space).Describe() } };
        Assert.Equal(own.ToJson(), ReadBytes(new OfaPackage(own, package.Weights, package.Predictor, package.Calibration).ToBytes()).Manifest.ToJson());
    }

    [Fact]
    public void A_predictor_recorded_as_trained_on_other_strides_is_refused_and_one_recorded_before_strides_were_reads()
    {
        var package = TestPackage.Create();
        var space = package.Manifest.Space;
        var other = space with { Stages = [.. space.Stages.Select((st, i) => i == 0 ? st with { Stride = 3 - st.Stride } : st)] };
        byte[] With(string trainedOn) => RawPackage(package.Manifest with { Predictor = package.Manifest.Predictor! with { TrainedOn = trainedOn } }, package.Weights,
            (PackageArchive.PredictorEntry, SafeTensors.Write(package.Predictor!)), (PackageArchive.CalibrationEntry, SafeTensors.Write(package.Calibration!)));

        // Before, trained_on did not record strides: this predictor of another network was accepted.
        var ex = Fails(With(Core.Accuracy.TrainingSpace.Of(other).Describe()));
        Assert.Contains("manifest.json predictor.trained_on: the accuracy predictor was trained on another search space", ex.Message);
        Assert.Contains("strides ", ex.Message);

        // A line written before strides, squeeze-excite and activations were recorded reads as it did, and keeps its text.
        string before = System.Text.RegularExpressions.Regex.Replace(Core.Accuracy.TrainingSpace.Of(other).Describe(), ";strides=[^;]*;se=[^;]*;hswish=[^;]*", "");
        Assert.Equal(before, ReadBytes(With(before)).Manifest.Predictor!.TrainedOn);
    }

    [Fact]
    public void A_package_written_before_trained_on_was_recorded_reads_with_its_space_unknown()
    {
        var package = TestPackage.Create();
        Assert.DoesNotContain("trained_on", package.Manifest.ToJson());
        Assert.Null(ReadBytes(package.ToBytes()).Manifest.Predictor!.TrainedOn);
    }

    [Fact]
    public void Manifest_json_is_snake_case_data_with_reference_activation_names()
    {
        var json = TestPackage.Create().Manifest.ToJson();
        Assert.Contains("\"format_version\": 1", json);
        Assert.Contains("\"first_conv_width\": 8", json);
        Assert.Contains("\"activation\": \"h_swish\"", json);
        Assert.Contains("\"first_block_activation\": \"relu\"", json);
        Assert.Contains("\"use_se\": true", json);
        Assert.Contains("\"hidden_sizes\": [", json);
        Assert.DoesNotContain("slot_count", json);   // derived views are not stored
        Assert.DoesNotContain("max_depth", json);
        Assert.DoesNotContain("\r", json);
        Assert.EndsWith("}\n", json);
    }

    [Fact]
    public void Same_content_gives_the_same_bytes_and_hash()
    {
        var a = TestPackage.Create(seed: 7).ToBytes();
        var b = TestPackage.Create(seed: 7).ToBytes();
        Assert.Equal(a, b);
        Assert.NotEqual(a, TestPackage.Create(seed: 8).ToBytes());

        string p1 = Dir["a.ofa"], p2 = Dir["b.ofa"];
        TestPackage.Create(seed: 7).Write(p1);
        TestPackage.Create(seed: 7).Write(p2);
        Assert.Equal(a, File.ReadAllBytes(p1));
        Assert.Equal(OfaPackage.ComputeHash(p1), OfaPackage.ComputeHash(p2));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(a)), OfaPackage.ComputeHash(p1));
    }

    [Fact]
    public void File_read_write_and_manifest_only_read()
    {
        var path = Path.Combine(Dir.Path, "sub", "tiny.ofa");
        var package = TestPackage.Create();
        package.Write(path);
        package.Write(path); // overwriting is fine
        Assert.Equal(package.Manifest.ToJson(), OfaPackage.ReadManifest(path).ToJson());
        var back = OfaPackage.Read(path);
        AssertSameTensors(package.Weights, back.Weights);
        Assert.Equal(["tiny.ofa"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));

        var missing = Dir["missing.ofa"];
        var ex = Assert.Throws<OfaException>(() => OfaPackage.Read(missing));
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void Truncated_package_is_not_a_package()
    {
        var bytes = TestPackage.Create().ToBytes();
        for (int i = 0; i < 40; i++)
        {
            int cut = (int)((long)bytes.Length * i / 40);
            Assert.Contains("is not a .ofa package", Fails(bytes[..cut]).Message);
        }
    }

    [Fact]
    public void Truncated_file_on_disk_names_the_path()
    {
        var path = Dir["cut.ofa"];
        var bytes = TestPackage.Create().ToBytes();
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<OfaFormatException>(() => OfaPackage.Read(path));
        Assert.StartsWith($"{path} is not a .ofa package", ex.Message);
        ex = Assert.Throws<OfaFormatException>(() => OfaPackage.ReadManifest(path));
        Assert.StartsWith($"{path} is not a .ofa package", ex.Message);
    }

    [Fact]
    public void Not_a_zip_is_not_a_package() =>
        Assert.Contains("is not a .ofa package", Fails(Encoding.UTF8.GetBytes("{\"hello\": \"world\"}\n")).Message);

    [Fact]
    public void A_file_that_is_not_a_zip_is_named_by_its_content()
    {
        // Before: "... is not a .ofa package (Central Directory corrupt.). Make one with `ofa train` or `ofa import`.",
        // .NET's wording for `echo hello > fashion-mnist.ofa`; now the message says what the file holds.
        var path = Dir["fashion-mnist.ofa"];
        File.WriteAllText(path, "hello\n");
        Assert.Equal($"{path} is not a .ofa package: it is not a zip archive (a .ofa package is one) but 6 bytes of text starting with 'hello'. Make one with `ofa train` or `ofa import`.",
            Assert.Throws<OfaFormatException>(() => OfaPackage.Read(path)).Message);

        Assert.Equal($"{Src} is not a .ofa package: it is empty. Make one with `ofa train` or `ofa import`.", Fails([]).Message);
        Assert.Equal($"{Src} is not a .ofa package: it is not a zip archive (a .ofa package is one) but 5 bytes starting with 7f454c4600 (hex). Make one with `ofa train` or `ofa import`.",
            Fails([0x7f, (byte)'E', (byte)'L', (byte)'F', 0]).Message);
        var longLine = new string('x', 100);
        Assert.Contains($"but 100 bytes of text starting with '{new string('x', 40)}...'", Fails(Encoding.UTF8.GetBytes(longLine)).Message);
        var cut = TestPackage.Create().ToBytes()[..100];
        Assert.Equal($"{Src} is not a .ofa package: it is a zip archive (100 bytes) that is cut off or damaged. Copy it again, or make one with `ofa train` or `ofa import`.", Fails(cut).Message);
    }

    [Fact]
    public void A_damaged_central_directory_is_named_as_other_damaged_zips_are()
    {
        // Before: "... is not a .ofa package (damaged zip directory: Central Directory corrupt.)", .NET's wording, for a
        // zip whose end record reads but whose directory does not; now NotAPackage's words, as for a cut-off zip.
        var bytes = TestPackage.Create().ToBytes();
        int directory = bytes.AsSpan().LastIndexOf("PK\u0001\u0002"u8); // the last central directory header's signature
        Assert.True(directory > 0);
        bytes[directory + 3] = 0xFF;
        Assert.Equal($"{Src} is not a .ofa package: it is a zip archive ({bytes.Length} bytes) that is cut off or damaged. Copy it again, or make one with `ofa train` or `ofa import`.",
            Fails(bytes).Message);
    }

    [Fact]
    public void A_git_lfs_pointer_says_to_fetch_the_file()
    {
        // Before: "... is not a .ofa package (Central Directory corrupt.). Make one with `ofa train` or `ofa import`.", for
        // a supernet committed with Git LFS and checked out without it.
        var path = Dir["lfs.ofa"];
        File.WriteAllText(path, "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 6879588\n");
        var ex = Assert.Throws<OfaFormatException>(() => OfaPackage.Read(path));
        Assert.Equal($"{path} is a Git LFS pointer, not the .ofa package it stands for: fetch the file with `git lfs pull` (with Git LFS installed).", ex.Message);
    }

    [Fact]
    public void Damaged_entry_bytes_are_detected()
    {
        var bytes = TestPackage.Create(withExtras: false).ToBytes();
        // Flip a byte in the middle of the stored weights (well past the local headers and the manifest).
        bytes[bytes.Length / 2] ^= 0x5A;
        var ex = Fails(bytes);
        Assert.Contains("entry 'weights.safetensors' fails its checksum", ex.Message);
    }

    [Fact]
    public void Missing_weights_entry_fails()
    {
        var space = TestSpaces.ForPackage();
        var ex = Fails(RawPackage(TestPackage.Manifest(space, withExtras: false), weights: null));
        Assert.Contains("no weights.safetensors", ex.Message);
    }

    [Fact]
    public void Unknown_entry_fails()
    {
        var space = TestSpaces.ForPackage();
        var ex = Fails(RawPackage(TestPackage.Manifest(space, false), TestPackage.Weights(space, 1), ("notes.txt", [1, 2])));
        Assert.Contains("unexpected entry 'notes.txt'", ex.Message);
    }

    [Fact]
    public void Wrong_tensor_shape_names_the_tensor_and_the_expected_shape()
    {
        var space = TestSpaces.ForPackage();
        var weights = TestPackage.Weights(space, 1);
        weights.Set("classifier.linear.weight", Tensor.FromFloats([4, 32], new float[128]));
        var ex = Fails(RawPackage(TestPackage.Manifest(space, false), weights));
        Assert.Contains("weights.safetensors", ex.Message);
        Assert.Contains("'classifier.linear.weight' has shape [4, 32]", ex.Message);
        Assert.Contains("needs [3, 32]", ex.Message);
    }

    [Fact]
    public void NaN_weight_names_the_tensor()
    {
        var space = TestSpaces.ForPackage();
        var weights = TestPackage.Weights(space, 1);
        const string name = "blocks.3.conv.depth_conv.se.fc.reduce.bias";
        weights[name].F32[1] = float.NaN;
        var ex = Fails(RawPackage(TestPackage.Manifest(space, false), weights));
        Assert.Contains($"'{name}' holds NaN at element 1", ex.Message);
    }

    [Fact]
    public void Missing_and_extra_tensors_are_named()
    {
        var space = TestSpaces.ForPackage();
        var weights = new TensorSet("w", TestPackage.Weights(space, 1).Items.Where(kv => kv.Key != "first_conv.bn.running_var"));
        Assert.Contains("'first_conv.bn.running_var' is missing",
            Fails(RawPackage(TestPackage.Manifest(space, false), weights)).Message);

        weights = TestPackage.Weights(space, 1);
        weights.Add("extra.weight", Tensor.FromFloats([1], [0f]));
        Assert.Contains("'extra.weight' is not part of space 'tiny'",
            Fails(RawPackage(TestPackage.Manifest(space, false), weights)).Message);
    }

    [Fact]
    public void Label_count_must_match_classes()
    {
        var space = TestSpaces.ForPackage();
        var manifest = TestPackage.Manifest(space, false) with { Labels = ["shirt", "shoe"] };
        var ex = Fails(RawPackage(manifest, TestPackage.Weights(space, 1)));
        Assert.Contains("2 labels for 3 classes", ex.Message);

        // The writer refuses what the reader would refuse.
        var package = new OfaPackage(manifest, TestPackage.Weights(space, 1));
        Assert.Contains("2 labels for 3 classes", Assert.Throws<OfaFormatException>(() => package.ToBytes()).Message);
        var path = Dir["bad.ofa"];
        Assert.StartsWith($"{path}: manifest.json: 2 labels", Assert.Throws<OfaFormatException>(() => package.Write(path)).Message);
        Assert.Empty(Directory.GetFiles(Dir.Path));
    }

    [Fact]
    public void Normalization_needs_one_mean_and_std_per_channel()
    {
        var space = TestSpaces.ForPackage();
        var manifest = TestPackage.Manifest(space, false) with { Normalization = InputNormalization.ImageNet };
        var ex = Fails(RawPackage(manifest, TestPackage.Weights(space, 1)));
        Assert.Contains("3 means and 3 stds; the space has 1 input channels", ex.Message);

        manifest = TestPackage.Manifest(space, false) with { Normalization = new([0.5], [0.0]) };
        Assert.Contains("std 0 is 0", Fails(RawPackage(manifest, TestPackage.Weights(space, 1))).Message);
    }

    [Fact]
    public void Calibration_images_need_the_space_channels()
    {
        var space = TestSpaces.ForPackage();
        var manifest = TestPackage.Manifest(space, true);
        var ex = Fails(RawPackage(manifest, TestPackage.Weights(space, 1),
            (PackageArchive.PredictorEntry, SafeTensors.Write(TestPackage.Predictor(1))),
            (PackageArchive.CalibrationEntry, SafeTensors.Write(TestPackage.Calibration(5, channels: 3, seed: 1)))));
        Assert.Contains("calibration.safetensors", ex.Message);
        Assert.Contains("'images' has 3 channels", ex.Message);
    }

    [Fact]
    public void Sections_and_entries_must_agree()
    {
        var space = TestSpaces.ForPackage();
        var ex = Fails(RawPackage(TestPackage.Manifest(space, true), TestPackage.Weights(space, 1)));
        Assert.Contains("describes a predictor but the package has no predictor.safetensors", ex.Message);
    }

    [Fact]
    public void Unknown_format_version_says_which_versions_are_read()
    {
        var space = TestSpaces.ForPackage();
        var manifest = TestPackage.Manifest(space, false);
        var json = manifest.ToJson().Replace("\"format_version\": 1", "\"format_version\": 2");
        var bytes = PackageArchive.Write([
            (PackageArchive.ManifestEntry, Encoding.UTF8.GetBytes(json)),
            (PackageArchive.WeightsEntry, SafeTensors.Write(TestPackage.Weights(space, 1))),
        ]);
        var ex = Fails(bytes);
        Assert.Contains("format_version 2 is not supported; this tool reads format_version 1", ex.Message);
    }

    [Theory]
    [InlineData("\"activation\": \"h_swish\"", "\"activation\": \"swish\"", "unknown activation 'swish'")]
    [InlineData("\"num_classes\": 3,", "", "num_classes")]
    [InlineData("\"first_conv_width\": 8", "\"first_conv_width\": -8", "first_conv_width is outside")]
    [InlineData("\"labels\": [", "\"labels\": null, \"x\": [", "labels")]
    public void Bad_manifest_field_is_named(string from, string to, string expected)
    {
        var space = TestSpaces.ForPackage();
        var json = TestPackage.Manifest(space, false).ToJson();
        Assert.Contains(from, json);
        var bytes = PackageArchive.Write([
            (PackageArchive.ManifestEntry, Encoding.UTF8.GetBytes(json.Replace(from, to))),
            (PackageArchive.WeightsEntry, SafeTensors.Write(TestPackage.Weights(space, 1))),
        ]);
        var ex = Fails(bytes);
        Assert.Contains("manifest.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("manifest.json", 1 << 30, "entry 'manifest.json' declares 1073741824 bytes; the limit is")]
    [InlineData("weights.safetensors", 1_500_000_000, "entry 'weights.safetensors' declares 1500000000 bytes from")]
    public void Oversized_entry_declaration_is_refused_before_allocating(string entry, int size, string expected)
    {
        var bytes = TestPackage.Create(withExtras: false).ToBytes();
        // Patch the entry's uncompressed size in the central directory.
        int cd = FindCentralEntry(bytes, entry);
        BitConverter.TryWriteBytes(bytes.AsSpan(cd + 24, 4), size);
        Assert.Contains(expected, Fails(bytes).Message);
    }

    private static int FindCentralEntry(byte[] zip, string name)
    {
        var n = Encoding.ASCII.GetBytes(name);
        for (int i = 0; i + 46 + n.Length <= zip.Length; i++)
            if (zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == 1 && zip[i + 3] == 2
                && zip.AsSpan(i + 46, n.Length).SequenceEqual(n))
                return i;
        throw new InvalidOperationException("central directory entry not found");
    }
}
