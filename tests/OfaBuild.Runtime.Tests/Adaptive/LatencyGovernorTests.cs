namespace OfaBuild.Runtime.Tests.Adaptive;

/// <summary>The governor's rule on scripted latencies (ticks are microseconds): no clock, no model, fully deterministic.</summary>
public class LatencyGovernorTests
{
    private const long Frequency = 1_000_000;
    private const double Budget = 10;
    private static readonly LadderRung[] Ladder = [new("r0", 8, 0.92), new("r1", 5.6, 0.90), new("r2", 4, 0.87)];
    private static readonly GovernorOptions Options = new(); // window 64, p95, headroom 0.8, step up after 256 (<= 8192)

    private readonly List<RungChangedEventArgs> _changes = [];

    private LatencyGovernor Create(LadderRung[]? rungs = null, double budget = Budget)
    {
        var g = new LatencyGovernor(rungs ?? Ladder, budget, Frequency, Options);
        g.RungChanged += (_, e) => _changes.Add(e);
        return g;
    }

    private static long Ms(double ms) => (long)(ms * 1000);

    /// <summary>Runs <paramref name="calls"/> calls, each taking <paramref name="latencyOf"/>(rung, call) ms.</summary>
    private static void Serve(LatencyGovernor g, int calls, Func<int, int, double> latencyOf)
    {
        for (int i = 0; i < calls; i++)
        {
            int rung = g.Enter();
            g.Exit(rung, Ms(latencyOf(rung, i)));
        }
    }

    private static void Serve(LatencyGovernor g, int calls, double ms) => Serve(g, calls, (_, _) => ms);

    [Fact]
    public void Sustained_over_budget_steps_down_once_the_p95_is_certain_to_be_over()
    {
        var g = Create();
        Serve(g, 3, 12);                       // three slow calls: a full window's p95 (rank 61 of 64) could still be in budget
        Assert.Equal(0, g.CurrentRung);
        Serve(g, 1, 12);                       // the fourth cannot
        Assert.Equal(1, g.CurrentRung);
        var change = Assert.Single(_changes);
        Assert.Equal((0, 1, RungChangeReason.OverBudget, 1L), (change.From, change.To, change.Reason, change.Sequence));
        Assert.Equal(12, change.WindowLatencyMs);

        Serve(g, 4, 12);                       // still over on rung 1, judged on its own calls: down again
        Assert.Equal(2, g.CurrentRung);
        Serve(g, 1000, 12);                    // the last rung has nowhere to go
        Assert.Equal(2, g.CurrentRung);
        Assert.Equal(2, _changes.Count);
    }

    [Fact]
    public void Up_to_three_spikes_in_a_window_are_not_a_p95_over_budget_four_are()
    {
        var g = Create();
        Serve(g, 640, (_, i) => i % 64 < 3 ? 50 : 7); // three 50 ms spikes in every window of 64
        Assert.Equal(0, g.CurrentRung);
        Assert.Empty(_changes);

        Serve(g, 64, (_, i) => i % 64 < 4 ? 50 : 7);
        Assert.Equal(1, g.CurrentRung);
    }

    [Fact]
    public void Steps_up_only_with_headroom_after_the_wait()
    {
        var g = Create();
        Serve(g, 4, 12);
        Assert.Equal(1, g.CurrentRung);
        // 6 ms on rung 1 scales to 6 x 8 / 5.6 = 8.57 ms on rung 0: within the budget but not within 0.8 x 10 ms.
        Serve(g, 2000, 6);
        Assert.Equal(1, g.CurrentRung);
        // 5.5 ms scales to 7.86 ms <= 8 ms: up as soon as 61 of the window's 64 calls (the p95's rank) are 5.5 ms.
        Serve(g, 60, 5.5);
        Assert.Equal(1, g.CurrentRung);
        Serve(g, 1, 5.5);
        Assert.Equal(0, g.CurrentRung);
        Assert.Equal(RungChangeReason.Headroom, _changes[^1].Reason);
    }

    [Fact]
    public void A_fresh_rung_waits_the_step_up_calls_and_an_undone_step_up_doubles_the_wait()
    {
        var g = Create();
        Serve(g, 4, 12);                       // down to rung 1
        Serve(g, 255, 3);
        Assert.Equal(1, g.CurrentRung);
        Serve(g, 1, 3);                        // 256th call on rung 1: up
        Assert.Equal(0, g.CurrentRung);
        Serve(g, 4, 12);                       // rung 0 still too slow: undone within 256 calls
        Assert.Equal(1, g.CurrentRung);
        Serve(g, 511, 3);
        Assert.Equal(1, g.CurrentRung);        // the wait is now 512
        Serve(g, 1, 3);
        Assert.Equal(0, g.CurrentRung);
        Serve(g, 256, 7);                      // this step up holds: the wait returns to 256
        Serve(g, 3, 12);
        Assert.Equal(0, g.CurrentRung);
        Serve(g, 1, 12);                       // the fourth slow call in the (full) window puts its p95 over
        Assert.Equal(1, g.CurrentRung);
        Serve(g, 256, 3);
        Assert.Equal(0, g.CurrentRung);
        Assert.Equal([1L, 2, 3, 4, 5, 6], _changes.Select(c => c.Sequence));
    }

    [Fact]
    public void A_pinned_rung_serves_every_call_and_unpinning_resumes_the_rule()
    {
        var g = Create();
        g.PinnedRung = 2;
        Assert.Equal(2, g.CurrentRung);
        Assert.Equal(RungChangeReason.Pinned, Assert.Single(_changes).Reason);
        Serve(g, 1000, 3);                     // plenty of headroom: stays pinned
        g.PinnedRung = 0;
        Serve(g, 1000, 30);                    // far over budget: stays pinned
        Assert.Equal(0, g.CurrentRung);
        Assert.Equal(1000, g.ServedCalls(2));
        Assert.Equal(1000, g.ServedCalls(0));

        g.PinnedRung = null;
        Serve(g, 4, 30);
        Assert.Equal(1, g.CurrentRung);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.PinnedRung = 3);
    }

    [Fact]
    public void A_budget_change_applies_from_the_next_call()
    {
        var g = Create();
        Serve(g, 500, 8);
        Assert.Equal(0, g.CurrentRung);
        g.LatencyBudgetMs = 6;                 // the full window of 8 ms calls is now over
        Serve(g, 1, 8);
        Assert.Equal(1, g.CurrentRung);
        Assert.Equal(6, g.LatencyBudgetMs);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.LatencyBudgetMs = 0);
    }

    [Fact]
    public void Power_saving_serves_the_cheapest_rung_meeting_the_floor_and_never_climbs_above_it()
    {
        var g = Create();
        g.PowerSavingAccuracyFloor = 0.89;     // r1 (0.90) is the cheapest that meets it; r2 (0.87) does not
        Assert.Equal(1, g.CurrentRung);
        Assert.Equal(RungChangeReason.PowerSaving, Assert.Single(_changes).Reason);
        Serve(g, 2000, 1);                     // all the headroom in the world
        Assert.Equal(1, g.CurrentRung);
        Serve(g, 4, 12);                       // the budget still holds below the ceiling
        Assert.Equal(2, g.CurrentRung);
        Serve(g, 256, 1);
        Assert.Equal(1, g.CurrentRung);        // back up to the ceiling, not above

        g.PowerSavingAccuracyFloor = null;
        Serve(g, 256, 1);
        Assert.Equal(0, g.CurrentRung);

        g.PowerSavingAccuracyFloor = 0.99;     // no rung meets it: the most accurate
        Assert.Equal(0, g.CurrentRung);
    }

    [Fact]
    public void One_rung_adds_no_behaviour()
    {
        var g = Create([new("only", 8, null)]);
        Serve(g, 1000, 50);
        Assert.Equal(0, g.CurrentRung);
        Assert.Equal(1000, g.ServedCalls(0));
        g.PowerSavingAccuracyFloor = 0.5;
        Assert.Equal(0, g.CurrentRung);
        Assert.Empty(_changes);
    }

    [Fact]
    public void The_hot_path_allocates_nothing()
    {
        var g = Create();
        Serve(g, 1000, 5);                     // warm up (JIT, tiering)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            int rung = g.Enter();
            g.Exit(rung, Ms(5 + i % 7 * 0.1));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Concurrent_calls_are_each_served_once_and_changes_chain()
    {
        var g = new LatencyGovernor(Ladder, Budget, Frequency, Options);
        var changes = new System.Collections.Concurrent.ConcurrentBag<RungChangedEventArgs>();
        g.RungChanged += (_, e) => changes.Add(e);
        const int threads = 8, calls = 20_000;
        var served = new long[threads, Ladder.Length];
        // Rung 0 is over budget, rung 1 has headroom, so the ladder keeps moving between them under all threads.
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < calls; i++)
            {
                int rung = g.Enter();
                served[t, rung]++;
                g.Exit(rung, Ms(rung == 0 ? 12 : 3));
            }
        });

        for (int r = 0; r < Ladder.Length; r++)
            Assert.Equal(Enumerable.Range(0, threads).Sum(t => served[t, r]), g.ServedCalls(r));
        Assert.Equal((long)threads * calls, Enumerable.Range(0, Ladder.Length).Sum(r => g.ServedCalls(r)));
        var chain = changes.OrderBy(c => c.Sequence).ToList();
        Assert.True(chain.Count >= 2, $"expected the ladder to move, got {chain.Count} changes");
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long)i), chain.Select(c => c.Sequence));
        Assert.Equal(0, chain[0].From);
        for (int i = 1; i < chain.Count; i++) Assert.Equal(chain[i - 1].To, chain[i].From);
        Assert.Equal(g.CurrentRung, chain[^1].To);
        Assert.All(chain, c => Assert.Equal(1, Math.Abs(c.To - c.From)));
    }
}
