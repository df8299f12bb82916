using System.Security.Cryptography;
using OfaBuild.Contracts;
using OfaBuild.Core.Tests.Packaging;

namespace OfaBuild.Core.Tests.Specialization;

public sealed class SpecializerTests : TempDirTest
{
    /// <summary>A tiny supernet with a (random) accuracy predictor and 20 calibration images.</summary>
    private string Package(bool predictor = true, bool calibration = true)
    {
        var space = TestSpaces.ForPackage();
        var manifest = TestPackage.Manifest(space, withExtras: false) with
        {
            Predictor = predictor ? new PredictorInfo { Kind = "mlp" } : null,
            Calibration = calibration ? new CalibrationInfo { Count = 20, Source = "random" } : null,
        };
        var p = predictor ? AccuracyPredictor.CreateRandom(ArchEncoder.For(space), 3, 0.8f).ToTensors() : null;
        var path = Dir[$"tiny-{predictor}-{calibration}.ofa"];
        new OfaPackage(manifest, TestPackage.Weights(space, 1), p, calibration ? TestPackage.Calibration(20, 1, 2) : null).Write(path);
        return path;
    }

    private double Budget(string model, double fraction)
    {
        var package = OfaPackage.Read(model);
        var latency = TargetProblem.Create(package, "cortex-a53", 1e9).Latency;
        var space = package.Manifest.Space;
        double min = latency.Predict(Space.SubnetConfig.Smallest(space)), max = latency.Predict(Space.SubnetConfig.Largest(space));
        return min + (max - min) * fraction;
    }

    [Theory]
    [InlineData("lab/board", null)]
    [InlineData("cortex-a53", "a b")]
    public void A_target_name_that_is_no_file_stem_is_refused_before_anything_is_written(string device, string? name)
    {
        // Before, --device lab/board wrote out/lab/board.onnx with a manifest naming board.onnx, and the app's
        // resource name and the build's disagreed.
        var ex = Assert.Throws<OfaException>(() => Specializer.Run(new SpecializeRequest("absent.ofa", device, 1, Dir["x"], Name: name)));
        Assert.Contains($"'{name ?? device}'", ex.Message);
        Assert.Contains("letters, digits", ex.Message);
        Assert.False(Directory.Exists(Dir["x"]));
    }

    [Fact]
    public void A_device_in_another_case_gives_the_outputs_named_as_the_catalog_spells_it()
    {
        var model = Package(calibration: false);
        double budget = Budget(model, 0.5);
        var lower = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["lower"]));
        var upper = Specializer.Run(new SpecializeRequest(model, "Cortex-A53", budget, Dir["upper"]));
        Assert.Equal(["cortex-a53.json", "cortex-a53.onnx"], Directory.GetFiles(Dir["upper"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("cortex-a53", upper.Manifest.Target);
        Assert.Equal(File.ReadAllBytes(lower.OnnxPath), File.ReadAllBytes(upper.OnnxPath));
        Assert.Equal(File.ReadAllBytes(lower.ManifestPath), File.ReadAllBytes(upper.ManifestPath));
    }

    [Fact]
    public void Same_inputs_give_byte_identical_outputs_and_a_truthful_manifest()
    {
        var model = Package();
        double budget = Budget(model, 0.5);
        var a = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["a"]));
        var b = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["b"]));
        Assert.Equal(File.ReadAllBytes(a.OnnxPath), File.ReadAllBytes(b.OnnxPath));
        Assert.Equal(File.ReadAllBytes(a.ManifestPath), File.ReadAllBytes(b.ManifestPath));

        var m = TargetManifest.Load(a.ManifestPath);
        var space = TestSpaces.ForPackage();
        Assert.Equal("cortex-a53", m.Target);
        Assert.Equal("estimated", m.TableKind);
        Assert.Contains("linux-arm64", m.RuntimeIdentifiers);
        Assert.Contains("0xd03", m.Recognition.ArmCpuParts);
        Assert.True(m.PredictedLatencyMs <= budget);
        Assert.Equal("predictor", m.AccuracyModel);
        Assert.NotNull(m.PredictedAccuracy);
        Assert.Equal(20, m.CalibrationImages);
        Assert.Equal(SubnetCost.Macs(space, m.Config.ToSubnetConfig()), m.Macs);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(a.OnnxPath))), m.OnnxSha256);
        Assert.Equal(OfaPackage.ComputeHash(model), m.SupernetSha256);
        Assert.Equal(["shirt", "shoe", "bag"], m.Labels);
    }

    [Fact]
    public void The_manifest_names_its_subnet_to_the_commands_that_take_a_config()
    {
        // README "int8": `ofa quantize --config` (and export, eval, inspect) with the config of a target `ofa specialize` wrote.
        var model = Package();
        var r = Specializer.Run(new SpecializeRequest(model, "cortex-a53", Budget(model, 0.5), Dir["o"]));

        var space = TestSpaces.ForPackage();
        var config = SubnetConfigFile.LoadOne(r.ManifestPath, space);

        Assert.Equal(r.Manifest.Config.ToSubnetConfig(), config);
        Assert.Equal(r.Manifest.Macs, SubnetCost.Macs(space, config));
        Assert.Equal(16, SubnetConfigFile.LoadOne(r.ManifestPath, space, resolution: 16).R);
    }

    [Fact]
    public void A_supernet_read_before_gives_the_outputs_its_file_gives_without_the_file_being_read_again()
    {
        var model = Package();
        double budget = Budget(model, 0.5);
        var fromFile = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["file"]));
        var supernet = OfaPackageFile.Read(model);
        File.WriteAllText(model, "not a zip"); // reading the file again would now fail, and hash other bytes

        var fromRead = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["read"]), supernet);

        Assert.Equal(File.ReadAllBytes(fromFile.OnnxPath), File.ReadAllBytes(fromRead.OnnxPath));
        Assert.Equal(File.ReadAllBytes(fromFile.ManifestPath), File.ReadAllBytes(fromRead.ManifestPath)); // the same supernet_sha256
    }

    [Fact]
    public void Int8_targets_are_searched_on_the_devices_int8_table_and_say_so_in_the_manifest()
    {
        var model = Package();
        double budget = Budget(model, 0.5);
        var fp32 = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["fp32"]));
        var int8 = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["int8"], Precision: Precisions.Int8));

        var (m32, m8) = (TargetManifest.Load(fp32.ManifestPath), TargetManifest.Load(int8.ManifestPath));
        Assert.Equal((Precisions.Fp32, Precisions.Int8), (m32.Precision, m8.Precision));
        Assert.Equal((Precisions.Fp32, Precisions.Int8), (m32.TablePrecision, m8.TablePrecision));
        // The prediction is the int8 table's, and under the same budget the faster int8 layers buy at least as large a subnet.
        var package = OfaPackage.Read(model);
        var int8Table = TargetProblem.Create(package, "cortex-a53", 1e9, precision: Precisions.Int8).Latency;
        Assert.Equal(Precisions.Int8, int8Table.Table.Precision);
        Assert.Equal(Math.Round(int8Table.Predict(m8.Config.ToSubnetConfig()), 6), m8.PredictedLatencyMs);
        Assert.True(m8.PredictedLatencyMs <= budget);
        Assert.True(m8.Macs >= m32.Macs, $"int8 {m8.Macs} MACs, fp32 {m32.Macs}");
        Assert.Equal(DeviceCatalog.Builtin().Get("cortex-a53").Constants!.Cores, m8.TableThreads); // the roofline's peak is all cores'
        Assert.Equal(20, m8.CalibrationImages);

        var int8Bytes = File.ReadAllBytes(int8.OnnxPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(int8Bytes)), m8.OnnxSha256);
        var graph = Core.Quantization.OnnxModel.Read(int8Bytes, "int8");
        Assert.Contains(graph.Nodes, n => n.OpType == "QuantizeLinear");
        int r = m8.Input.Resolution;
        using var ort = new OnnxModelRunner(int8Bytes);
        Assert.All(ort.RunFirst(new float[r * r], [1, 1, r, r]), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void An_int8_target_on_an_fp32_profile_is_searched_on_it_and_the_manifest_says_fp32()
    {
        var model = Package();
        var space = TestSpaces.ForPackage();
        var profile = Dir["board.json"];
        var estimate = DeviceCatalog.Builtin().LatencyTable("cortex-a53", space);
        LatencyTableFile.Save(new LatencyTable("board", LatencyTableKind.Measured, "test", estimate.Entries, estimate.ConstantMs), profile);
        var log = new List<string>();
        var r = Specializer.Run(new SpecializeRequest(model, "board", Budget(model, 0.5), Dir["p"], ProfilePath: profile, Precision: Precisions.Int8), log: log.Add);
        var m = TargetManifest.Load(r.ManifestPath);
        Assert.Equal((Precisions.Int8, Precisions.Fp32), (m.Precision, m.TablePrecision));
        // "a fp32" before (Precisions.WithArticle).
        Assert.Contains(log, l => l.StartsWith($"board: searched on an fp32 latency table ({profile}); the device has no int8 table.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cortex-a53", false)] // the catalog's estimated table
    [InlineData("x64-avx2", true)]    // a catalog device with a measured table still runs where the catalog says
    [InlineData("lab-board", true)]   // a profiled device the catalog does not know: lists none, runs on any RID
    public void The_manifest_lists_the_rids_the_build_task_predicts_before_specialising(string device, bool profiled)
    {
        var model = Package();
        string? profile = null;
        if (profiled)
        {
            profile = Dir[$"{device}.json"];
            var estimate = DeviceCatalog.Builtin().LatencyTable("cortex-a53", TestSpaces.ForPackage());
            LatencyTableFile.Save(new LatencyTable(device, LatencyTableKind.Measured, "test", estimate.Entries, estimate.ConstantMs), profile);
        }
        var r = Specializer.Run(new SpecializeRequest(model, device, Budget(model, 0.5), Dir[device], ProfilePath: profile));
        Assert.Equal(CatalogDevices.RuntimeIdentifiersOf(device), r.Manifest.RuntimeIdentifiers);
        Assert.Equal(r.Manifest.RuntimeIdentifiers, TargetManifest.Load(r.ManifestPath).RuntimeIdentifiers);
    }

    [Fact]
    public void Int8_without_calibration_images_is_a_clear_error()
    {
        var model = Package(calibration: false);
        var ex = Assert.Throws<OfaException>(() => Specializer.Run(new SpecializeRequest(model, "cortex-a53", Budget(model, 0.5), Dir["x"], Precision: Precisions.Int8)));
        Assert.Contains("Precision = Int8", ex.Message);
        Assert.Contains("no calibration images", ex.Message);
    }

    [Fact]
    public void Bn_statistics_are_recalibrated_on_the_calibration_images()
    {
        var model = Package();
        var r = Specializer.Run(new SpecializeRequest(model, "cortex-a53", Budget(model, 1.0), Dir["o"]));
        var package = OfaPackage.Read(model);
        var plain = SubnetOnnxExporter.Export(SubnetExtractor.Extract(package.Manifest.Space, package.Weights, r.Manifest.Config.ToSubnetConfig()), producerVersion: ToolInfo.Version);
        Assert.NotEqual(plain, File.ReadAllBytes(r.OnnxPath));

        var noCalibration = Package(calibration: false);
        var kept = Specializer.Run(new SpecializeRequest(noCalibration, "cortex-a53", Budget(noCalibration, 1.0), Dir["k"]));
        Assert.Equal(0, kept.Manifest.CalibrationImages);
    }

    [Fact]
    public void Without_a_predictor_the_search_takes_the_most_macs_and_the_log_says_so()
    {
        var model = Package(predictor: false);
        var log = new List<string>();
        var small = Specializer.Run(new SpecializeRequest(model, "cortex-a53", Budget(model, 0.2), Dir["s"]), log: log.Add);
        // The build's log says what the search maximised, and how to store a predictor.
        Assert.Contains($"cortex-a53: the supernet has no accuracy predictor, so the search took the subnet with the most MACs within the limits; `ofa measure --model {model} --dataset <its training images>` stores one.", log);
        var large = Specializer.Run(new SpecializeRequest(model, "cortex-a53", Budget(model, 0.9), Dir["l"]));
        Assert.Equal("macs-proxy", small.Manifest.AccuracyModel);
        Assert.Null(small.Manifest.PredictedAccuracy);
        Assert.True(large.Manifest.Macs >= small.Manifest.Macs);
        Assert.True(small.Manifest.PredictedLatencyMs <= Budget(model, 0.2));
    }

    [Fact]
    public void Impossible_budget_names_the_smallest_reachable_latency()
    {
        var model = Package();
        double min = Budget(model, 0);
        var ex = Assert.Throws<OfaException>(() => Specializer.Run(new SpecializeRequest(model, "cortex-a53", min / 2, Dir["x"])));
        Assert.Contains("smallest latency", ex.Message);
        Assert.Contains(min.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), ex.Message);
        Assert.False(Directory.Exists(Dir["x"]) && Directory.EnumerateFiles(Dir["x"]).Any());
    }

    [Fact]
    public void Unknown_device_lists_the_catalog_and_says_how_to_profile()
    {
        var model = Package();
        var ex = Assert.Throws<OfaException>(() => Specializer.Run(new SpecializeRequest(model, "pentium-mmx", 5, Dir.Path)));
        Assert.Contains("cortex-a53", ex.Message);
        Assert.Contains("ofa profile", ex.Message);
    }

    [Fact]
    public void Non_positive_budget_is_refused()
    {
        var ex = Assert.Throws<OfaException>(() => Specializer.Run(new SpecializeRequest(Package(), "cortex-a53", 0, Dir.Path)));
        Assert.Contains("positive", ex.Message);
    }

    [Fact]
    public void An_adaptive_target_exports_a_ladder_of_faster_less_accurate_rungs_beside_rung_0()
    {
        var model = Package();
        double budget = Budget(model, 0.8);
        var fixedRun = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["fixed"]));
        var a = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["a"], Levels: 3));
        var b = Specializer.Run(new SpecializeRequest(model, "cortex-a53", budget, Dir["b"], Levels: 3));

        Assert.Empty(fixedRun.Manifest.Ladder);
        Assert.Equal(["cortex-a53.json", "cortex-a53.onnx"], Directory.GetFiles(Dir["fixed"]).Select(Path.GetFileName).Order());
        var m = TargetManifest.Load(a.ManifestPath);
        // Rung 0 is the fixed target's subnet, file for file.
        Assert.Equal(File.ReadAllBytes(fixedRun.OnnxPath), File.ReadAllBytes(a.OnnxPath));
        Assert.Equal(fixedRun.Manifest.Config.ToJson(), m.Config.ToJson());
        // The tiny space's front below rung 0 is short (a random predictor): at least one rung, at most the two asked for.
        Assert.InRange(m.Ladder.Count, 1, 2);
        Assert.Equal(File.ReadAllBytes(a.ManifestPath), File.ReadAllBytes(b.ManifestPath));

        var package = OfaPackage.Read(model);
        var space = package.Manifest.Space;
        var target = TargetProblem.Create(package, "cortex-a53", budget);
        var (aboveMs, aboveAcc) = (m.PredictedLatencyMs, m.PredictedAccuracy!.Value);
        double fastestMs = Space.SubnetConfig.SmallestPerResolution(space).Where(c => c.R <= m.Config.R).Min(target.Latency.Predict);
        var limits = Core.Search.AdaptiveLadder.Limits(m.PredictedLatencyMs, fastestMs, 3);
        for (int i = 0; i < m.Ladder.Count; i++)
        {
            var rung = m.Ladder[i];
            var config = rung.Config.ToSubnetConfig();
            Assert.Equal($"cortex-a53.rung{i + 1}.onnx", rung.Onnx);
            var bytes = File.ReadAllBytes(Path.Combine(Dir.Path, "a", rung.Onnx));
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(Dir.Path, "b", rung.Onnx)));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), rung.OnnxSha256);
            Assert.True(rung.Config.R <= m.Config.R);
            Assert.Equal(Math.Round(target.Latency.Predict(config), 6), rung.PredictedLatencyMs);
            // The rule: under its geometric limit between rung 0 and the fastest subnet, faster and no more accurate than
            // the rung above; lower rungs at least 0.1 pp apart.
            Assert.True(rung.PredictedLatencyMs <= limits[i] + 1e-6);
            Assert.True(rung.PredictedLatencyMs < aboveMs);
            Assert.True(rung.PredictedAccuracy <= aboveAcc - (i == 0 ? 0 : Core.Search.AdaptiveLadder.MinAccuracyStep) + 1e-6);
            Assert.Equal(SubnetCost.Macs(space, config), rung.Macs);
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
            Assert.Equal(config.R, session.InputMetadata["input"].Dimensions[2]);
            (aboveMs, aboveAcc) = (rung.PredictedLatencyMs, rung.PredictedAccuracy!.Value);
        }
        // The bottom rung is the front's fastest point: the ladder reaches as far down as the supernet does.
        Assert.Equal(fastestMs, m.Ladder[^1].PredictedLatencyMs, 1e-6);
    }

    [Fact]
    public void A_ladder_has_fewer_rungs_than_asked_rather_than_near_duplicates()
    {
        var model = Package();
        var problem = TargetProblem.Create(OfaPackage.Read(model), "cortex-a53", Budget(model, 0.8)).Problem;
        var options = Core.Search.EvolutionOptions.Default(0);
        var top = Core.Search.EvolutionSearch.Run(problem, options).Best;
        var rungs = Core.Search.AdaptiveLadder.LowerRungs(problem, top.Config, 8, options);
        Assert.InRange(rungs.Count, 1, 7);
        var accuracies = rungs.Select(r => r.Accuracy).Prepend(top.Accuracy).ToArray();
        Assert.True(accuracies[1] <= accuracies[0]);
        for (int i = 2; i < accuracies.Length; i++) Assert.True(accuracies[i] <= accuracies[i - 1] - Core.Search.AdaptiveLadder.MinAccuracyStep);
        Assert.Throws<OfaException>(() => Core.Search.AdaptiveLadder.LowerRungs(problem, top.Config, 1, options));
    }
}

public sealed class ProfiledTargetTests : TempDirTest
{
    [Fact]
    public void A_measured_profile_names_any_device_and_the_manifest_says_measured()
    {
        var space = TestSpaces.ForPackage();
        var model = Dir["tiny.ofa"];
        UntrainedPackage.Create(space, seed: 2, calibrationImages: 8).Write(model);
        var table = LatencyProfiler.Profile(space, "my-board", new ProfileProtocol(Warmup: 2, Repetitions: 5));
        var profile = Dir["my-board.json"];
        LatencyTableFile.Save(table, profile);

        var budget = LatencyTableFile.Load(profile).Predict(space, Space.SubnetConfig.Largest(space)) * 2;
        var free = Specializer.Run(new SpecializeRequest(model, "my-board", budget, Dir["free"], ProfilePath: profile));
        Assert.Equal("measured", free.Manifest.TableKind);
        Assert.Empty(free.Manifest.RuntimeIdentifiers); // not in the catalog: embedded for every RID

        // A parameter limit below what the unconstrained search chose binds.
        long smallest = Counting.SubnetCost.Params(space, Space.SubnetConfig.Smallest(space));
        double limit = (smallest + free.Manifest.Params) / 2.0 / 1e6;
        var limited = Specializer.Run(new SpecializeRequest(model, "my-board", budget, Dir["limited"], ProfilePath: profile, MaxMParams: limit));
        Assert.True(limited.Manifest.Params <= limit * 1e6, $"{limited.Manifest.Params} parameters exceed the {limit} M limit");
        Assert.True(free.Manifest.Params > limit * 1e6);
        Assert.Equal(limit, limited.Manifest.MaxMParams);
    }

    [Fact]
    public void An_int8_profile_is_what_an_int8_target_is_searched_on()
    {
        var space = TestSpaces.ForPackage();
        var model = Dir["tiny8.ofa"];
        UntrainedPackage.Create(space, seed: 2, calibrationImages: 8).Write(model);
        var table = LatencyProfiler.Profile(space, "my-board", new ProfileProtocol(Warmup: 2, Repetitions: 5), precision: Precisions.Int8);
        Assert.Equal(Precisions.Int8, table.Precision);
        Assert.Equal(NetworkShapes.All(space).Count, table.Entries.Count);
        var profile = Dir["my-board.int8.json"];
        LatencyTableFile.Save(table, profile);

        var budget = table.Predict(space, Space.SubnetConfig.Largest(space)) * 2;
        var r = Specializer.Run(new SpecializeRequest(model, "my-board", budget, Dir["int8"], ProfilePath: profile, Precision: Precisions.Int8));
        Assert.Equal(("measured", Precisions.Int8, Precisions.Int8), (r.Manifest.TableKind, r.Manifest.Precision, r.Manifest.TablePrecision));
        Assert.Equal(Math.Round(table.Predict(space, r.Manifest.Config.ToSubnetConfig()), 6), r.Manifest.PredictedLatencyMs);
    }
}
