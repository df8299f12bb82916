using System.Diagnostics;

namespace OfaBuild.Core.Tests.Fuzzing;

/// <summary>What a fuzz run saw: inputs tried, read, refused with the project's own exception; worst time and allocation.</summary>
internal sealed record FuzzReport(string Reader, int Inputs, int Read, int Refused, double WorstMs, long WorstAllocatedBytes)
{
    public override string ToString() =>
        $"{Reader}: {Inputs} inputs, {Read} read, {Refused} refused with OfaException, worst {WorstMs:F0} ms and {WorstAllocatedBytes / 1024} KiB per input";
}

/// <summary>
/// Feeds seeded mutations of valid inputs to a reader. Each input must be read or refused with an
/// <see cref="OfaException"/> that has a message: any other exception (a crash), more than
/// <see cref="TimeLimit"/> (a hang) or an allocation far beyond the input's size (a size taken from an
/// unchecked field) fails the run, naming the seed and round to replay it.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Inputs per reader: a fast slice in the suite; OFABUILD_FUZZ_COUNT=10000 for the full run.</summary>
    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("OFABUILD_FUZZ_COUNT"), out var n) && n > 0 ? n : 300;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);

    public static FuzzReport Run(string reader, IReadOnlyList<byte[]> seeds, Action<byte[]> read, bool text, int seed = 1, int? count = null,
        long allocationAllowance = 64L << 20, int allocationFactor = 64)
    {
        int n = count ?? Count, accepted = 0, refused = 0;
        double worstMs = 0;
        long worstAlloc = 0;
        var rng = new Random(seed);
        for (int round = 0; round < n; round++)
        {
            var original = seeds[round % seeds.Count];
            var input = Mutator.Mutate(original, rng, text);
            Exception? failure = null;
            bool ok = false;
            long allocated = 0;
            var sw = Stopwatch.StartNew();
            var worker = new Thread(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    read(input);
                    ok = true;
                }
                catch (Exception e)
                {
                    failure = e;
                }
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }, 64 << 20);
            worker.Start();
            if (!worker.Join(TimeLimit))
                Assert.Fail($"{reader}: round {round} (seed {seed}) did not finish within {TimeLimit.TotalSeconds} s: a hang on {input.Length} bytes.");
            worstMs = Math.Max(worstMs, sw.Elapsed.TotalMilliseconds);
            worstAlloc = Math.Max(worstAlloc, allocated);
            long limit = allocationAllowance + (long)allocationFactor * Math.Max(input.Length, original.Length);
            Assert.True(allocated <= limit, $"{reader}: round {round} (seed {seed}) allocated {allocated} bytes for a {input.Length}-byte input.");
            if (ok) { accepted++; continue; }
            if (failure is OfaException { Message.Length: > 0 }) { refused++; continue; }
            Assert.Fail($"{reader}: round {round} (seed {seed}): {failure!.GetType().Name} escaped: {failure.Message}\n{failure.StackTrace}");
        }
        Assert.True(refused > 0, $"{reader}: no mutant was refused in {n} rounds; the mutations do not reach the reader");
        return new FuzzReport(reader, n, accepted, refused, worstMs, worstAlloc);
    }
}
