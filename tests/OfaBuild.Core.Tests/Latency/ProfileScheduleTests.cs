using OfaBuild.TestSupport;

namespace OfaBuild.Core.Tests.Latency;

/// <summary>
/// How `ofa profile` times: layers in the order networks run them, round-robin, each visit timing its second pass,
/// and one-layer times scaled to their time inside a network by calibration subnets (never the validation's).
/// </summary>
public class ProfileScheduleTests
{
    [Fact]
    public void The_chains_run_every_layer_shape_of_the_space_in_network_order()
    {
        var space = Presets.Get(Presets.FashionMnist);
        var chains = LatencyProfiler.Chains(space);
        Assert.Equal(space.Resolutions.Count * space.KernelSizes.Count * space.ExpandRatios.Count, chains.Count);
        Assert.Equal(NetworkShapes.All(space).ToHashSet(), chains.SelectMany(c => c).ToHashSet());
        var deepest = SubnetConfig.Largest(space);
        Assert.Contains(chains, c => c.SequenceEqual(NetworkShapes.Of(space, deepest)));
    }

    [Fact]
    public void Each_visit_runs_its_sequence_twice_and_records_the_second_pass_after_the_warm_up_rounds()
    {
        int[][] sequences = [[0, 1, 2], [0, 3], [4]];
        var protocol = new ProfileProtocol(Warmup: 2, Repetitions: 5);
        var log = new List<int>();
        var recorded = new List<(int Model, double Ms)>();
        var rounds = new List<int[]>();
        double clock = 0;
        RoundRobinTimer.Schedule(sequences, protocol, new Random(7), m => { log.Add(m); return ++clock; }, (m, ms) => recorded.Add((m, ms)),
            () => rounds.Add([.. log]));

        Assert.Equal(protocol.Warmup + protocol.Repetitions, rounds.Count);
        int perRound = sequences.Sum(s => 2 * s.Length);
        Assert.Equal(perRound * rounds.Count, log.Count);
        // Every round visits each sequence once: its models twice in a row, in order; the second pass of a timed round is what counts.
        var visitOrders = new HashSet<string>();
        var secondPasses = new List<double>();
        for (int r = 0; r < rounds.Count; r++)
        {
            int start = r * perRound;
            var order = new List<int>();
            for (int i = start; i < start + perRound;)
            {
                int s = Array.FindIndex(sequences, q => q.SequenceEqual(log.Skip(i).Take(q.Length)) && q.SequenceEqual(log.Skip(i + q.Length).Take(q.Length)));
                Assert.True(s >= 0, $"round {r} at {i}: not a sequence run twice");
                order.Add(s);
                if (r >= protocol.Warmup)
                    for (int j = 0; j < sequences[s].Length; j++) secondPasses.Add(i + sequences[s].Length + j + 1); // the clock's value at that run
                i += 2 * sequences[s].Length;
            }
            Assert.Equal([0, 1, 2], order.Order());
            visitOrders.Add(string.Join(",", order));
        }
        Assert.True(visitOrders.Count > 1, "the visit order is shuffled between rounds");
        Assert.Equal(secondPasses, recorded.Select(r => r.Ms));
        Assert.All(recorded, r => Assert.Equal(r.Model, log[(int)r.Ms - 1]));
        Assert.Equal(2 * protocol.Repetitions, recorded.Count(r => r.Model == 0));
    }

    [Fact]
    public void Sequences_are_grouped_so_their_open_sessions_stay_within_the_byte_budget()
    {
        int[][] sequences = [[0, 1], [0, 2], [3], [4, 0]];
        long[] bytes = [10, 40, 40, 100, 30];
        var groups = RoundRobinTimer.Groups(sequences, m => bytes[m], budget: 100);
        Assert.Equal([[[0, 1], [0, 2]], [[3]], [[4, 0]]], groups.Select(g => g.ToArray()).ToArray());
        Assert.Single(RoundRobinTimer.Groups(sequences, m => bytes[m], budget: 1000));
    }

    [Fact]
    public void The_network_context_is_fitted_on_the_calibration_subnets_and_falls_back_to_a_median_scale()
    {
        // Whole = 0.6 x alone + 0.1 ms per MB, exactly: the fit recovers both terms.
        var exact = new (double Alone, double Mb)[] { (0.20, 1.5), (0.30, 2.0), (0.25, 3.0), (0.40, 2.5) }
            .Select(c => new NetworkContext.Sample(c.Alone, c.Mb, 0.6 * c.Alone + 0.1 * c.Mb)).ToArray();
        var fit = NetworkContext.Fit(exact);
        Assert.Equal(0.6, fit.Scale, 9);
        Assert.Equal(0.1, fit.MsPerMegabyte, 9);
        Assert.Equal(0.6 * 0.05 + 0.1 * 0.2, fit.LayerMs(0.05, 0.2), 12);

        // Megabytes that would need a negative weight: the median ratio alone (subnets without layers are ignored).
        var scaleOnly = NetworkContext.Fit([new(1.0, 1.0, 1.4), new(2.0, 4.0, 2.5), new(1.0, 3.0, 1.2), new(0, 1, 1)]);
        Assert.Equal(new NetworkContext(1.25, 0), scaleOnly);
        Assert.Equal(NetworkContext.None, NetworkContext.Fit([]));
    }

    [Fact]
    public void A_profile_scales_its_entries_by_its_calibration_subnets_which_are_not_the_validation_ones()
    {
        var space = TestSpaces.ForPackage();
        var plain = LatencyProfiler.Profile(space, "board", new ProfileProtocol(Warmup: 1, Repetitions: 3, CalibrationSubnets: 0));
        Assert.Equal(("1", "0"), (plain.Info["context_scale"], plain.Info["context_ms_per_megabyte"]));
        Assert.Equal(ProfileProtocol.Schedule, plain.Info["schedule"]);

        var (calibrated, validation) = LatencyProfiler.ProfileAndValidate(space, "board", new ProfileProtocol(Warmup: 1, Repetitions: 3, CalibrationSubnets: 4), validate: 5);
        double scale = double.Parse(calibrated.Info["context_scale"], System.Globalization.CultureInfo.InvariantCulture);
        double perMb = double.Parse(calibrated.Info["context_ms_per_megabyte"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(scale > 0 && double.IsFinite(scale) && perMb >= 0 && double.IsFinite(perMb));
        Assert.Equal(NetworkShapes.All(space).Count, calibrated.Entries.Count);
        var chains = LatencyProfiler.Chains(space);
        foreach (var shape in NetworkShapes.All(space)) // one sample per timed round for each place the shape has in a chain
            Assert.Equal(3 * chains.Sum(c => c.Count(l => l == shape)), calibrated.Entries[shape.Key].Count);

        // The validation subnets timed in the same rounds are the seed's of a later validation, and are predicted by the table.
        Assert.NotNull(validation);
        Assert.Equal(WholeNetworks.Sample(space, 5, LatencyValidation.DefaultSeed, "fp32").Select(n => n.Config), validation.Checks.Select(c => c.Config));
        Assert.All(validation.Checks, c => Assert.True(c.MeasuredMs > 0 && c.PredictedMs == calibrated.Predict(space, c.Config)));
        var calibration = WholeNetworks.Sample(space, 20, LatencyProfiler.CalibrationSeed, "fp32").Select(n => n.Config);
        Assert.Empty(calibration.Intersect(WholeNetworks.Sample(space, 20, LatencyValidation.DefaultSeed, "fp32").Select(n => n.Config)));
    }

    [Theory]
    [InlineData(0, 10, 25, 50, "--threads 0")]
    [InlineData(1, -1, 25, 50, "--warmup -1")]
    [InlineData(1, 10, 0, 50, "--repetitions 0")]
    [InlineData(1, 10, 25, -1, "--calibration -1")]
    public void A_protocol_that_cannot_time_is_refused_naming_the_option(int threads, int warmup, int repetitions, int calibration, string message)
    {
        // Before, --threads 0 profiled, recorded "threads": "0", and the manifests specialised from the table were
        // written with table_threads 0, which their own reader refuses.
        var ex = Assert.Throws<OfaException>(() => new ProfileProtocol(threads, warmup, repetitions, calibration));
        Assert.Contains(message, ex.Message);
    }
}
