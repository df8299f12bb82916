namespace OfaBuild.Core.Latency.Profiling;

/// <summary>
/// Times models as a warm network runs them, on a machine whose speed changes from one moment to the next.
/// A sequence is a list of models run one after the other: a network's layers in order, or one whole network.
/// Every round visits each sequence once, in a new shuffled order; a visit runs its sequence twice and times the
/// second pass, so each model runs with the caches a network run leaves behind (its own weights one run earlier,
/// its neighbours' in between), not the hot caches of a model run back to back. A model's timing is the median
/// over all rounds (and every sequence it is in), so every model samples the whole profile's duration alike.
/// </summary>
/// <remarks>
/// Why: on a shared x64 VM, timing each model in one burst of consecutive runs gave medians that jumped by 1.5x
/// between bursts tens of milliseconds apart, and one-layer models timed hot summed to 35-45 % less than the
/// whole networks (README, "Devices and latency").
/// </remarks>
public static class RoundRobinTimer
{
    /// <summary>
    /// Sequences whose models together exceed this many bytes are timed in separate groups (one set of open sessions each,
    /// about 3x the model bytes in memory). All of mbv3-fmnist's fp32 profile with 100 validation subnets fits in one.
    /// </summary>
    public const long GroupBytes = 512L << 20;

    /// <summary>Times <paramref name="models"/> (ONNX bytes, input shape) in <paramref name="sequences"/> of model indices; models in no sequence get no timing.</summary>
    public static ModelTimer.Timing[] Time(IReadOnlyList<(byte[] Model, long[] InputShape)> models, IReadOnlyList<int[]> sequences,
        ProfileProtocol protocol, IProgress<ProfileProgress>? progress = null, CancellationToken cancel = default)
    {
        var samples = models.Select(_ => new List<double>()).ToArray();
        var groups = Groups(sequences, i => models[i].Model.LongLength, GroupBytes);
        int rounds = groups.Count * (protocol.Warmup + protocol.Repetitions), done = 0;
        foreach (var group in groups)
        {
            var runners = new Dictionary<int, ModelRunner>();
            try
            {
                foreach (int m in group.SelectMany(s => s).Distinct())
                    runners[m] = new ModelRunner(models[m].Model, models[m].InputShape, protocol.Threads);
                Schedule(group, protocol, new Random(0), m => runners[m].Run(), (m, ms) => samples[m].Add(ms),
                    () => progress?.Report(new ProfileProgress(++done, rounds, "round")), cancel);
            }
            finally
            {
                foreach (var r in runners.Values) r.Dispose();
            }
        }
        return samples.Select(s => s.Count == 0 ? default : ModelTimer.Timing.Of(s)).ToArray();
    }

    /// <summary>
    /// The schedule itself: <see cref="ProfileProtocol.Warmup"/> untimed rounds, then <see cref="ProfileProtocol.Repetitions"/>
    /// rounds whose second pass over each sequence is <paramref name="record"/>ed (model index, ms).
    /// </summary>
    internal static void Schedule(IReadOnlyList<int[]> sequences, ProfileProtocol protocol, Random rng, Func<int, double> run,
        Action<int, double> record, Action? roundDone = null, CancellationToken cancel = default)
    {
        var order = Enumerable.Range(0, sequences.Count).ToArray();
        var times = new double[sequences.Count == 0 ? 0 : sequences.Max(s => s.Length)];
        for (int round = 0; round < protocol.Warmup + protocol.Repetitions; round++)
        {
            cancel.ThrowIfCancellationRequested();
            rng.Shuffle(order);
            foreach (int s in order)
            {
                var sequence = sequences[s];
                foreach (int m in sequence) run(m);
                for (int i = 0; i < sequence.Length; i++) times[i] = run(sequence[i]);
                if (round >= protocol.Warmup)
                    for (int i = 0; i < sequence.Length; i++) record(sequence[i], times[i]);
            }
            roundDone?.Invoke();
        }
    }

    /// <summary>Consecutive sequences packed into groups whose distinct models weigh at most <paramref name="budget"/> bytes (a larger sequence is a group alone).</summary>
    internal static List<List<int[]>> Groups(IReadOnlyList<int[]> sequences, Func<int, long> bytes, long budget)
    {
        var groups = new List<List<int[]>>();
        var current = new List<int[]>();
        var members = new HashSet<int>();
        long size = 0;
        foreach (var sequence in sequences)
        {
            long added = sequence.Distinct().Where(m => !members.Contains(m)).Sum(bytes);
            if (current.Count > 0 && size + added > budget)
            {
                groups.Add(current);
                (current, members, size) = ([], [], 0);
                added = sequence.Distinct().Sum(bytes);
            }
            current.Add(sequence);
            members.UnionWith(sequence);
            size += added;
        }
        if (current.Count > 0) groups.Add(current);
        return groups;
    }
}
