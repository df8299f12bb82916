using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OfaBuild.Core.Search;

/// <summary>
/// Re-spends a subnet's latency budget over all its blocks in one move. Every active block's every kernel and expand
/// choice is predicted alone (its accuracy gain or loss); a table's latency is a sum over blocks, so a multiple-choice
/// knapsack then picks one choice per block with the largest summed gain that fits the budget. That subnet is predicted
/// and taken if better, else the best single change that fits. Evolution and one-block hill climbing rarely pay for one
/// block's upgrade with several others' downgrades; this does. Depth and resolution stay (<see cref="LocalRefinement"/>
/// moves them, and <see cref="Repair"/> pays for such a move that breaks the budget). Needs a latency constraint with its table; other constraints are checked on each result.
/// Pure function of its inputs.
/// </summary>
public static class KnapsackRefinement
{
    /// <summary>Knapsack bin in ms; each block's latency is rounded up to whole bins, so a solution never exceeds the budget.</summary>
    private const double BinMs = 0.002;

    public static (Candidate Best, int Evaluations) Run(SearchProblem problem, Candidate start, int maxSteps = 20)
    {
        var latency = problem.Constraints.FirstOrDefault(c => c.Table is not null);
        if (latency is null) return (start, 0);
        var sampler = new ValidSampler(problem, 1);
        var current = start;
        int evaluations = 0;
        for (int step = 0; step < maxSteps; step++)
        {
            var next = Step(problem, latency, sampler, current, current.Accuracy, ref evaluations);
            if (next is null) break;
            current = next;
        }
        return (current, evaluations);
    }

    /// <summary>
    /// A subnet over the latency budget (a depth or resolution move of <see cref="LocalRefinement"/>) made to fit: the
    /// best predicted re-allocation of its blocks' kernels and expand ratios within the limits. Null when no
    /// re-allocation fits (or there is no latency table).
    /// </summary>
    public static (Candidate? Fitted, int Evaluations) Repair(SearchProblem problem, SubnetConfig over)
    {
        var latency = problem.Constraints.FirstOrDefault(c => c.Table is not null);
        if (latency is null) return (null, 0);
        var acc = new float[1];
        problem.Accuracy.PredictMany([over], acc);
        int evaluations = 1;
        var fitted = Step(problem, latency, new ValidSampler(problem, 1), new Candidate(over, acc[0], []), float.NegativeInfinity, ref evaluations);
        return (fitted, evaluations);
    }

    /// <summary>
    /// One move from <paramref name="current"/>: the best of its single-block changes and of the knapsack's re-allocations
    /// that meets every limit and is predicted above <paramref name="floor"/>; null if none is.
    /// </summary>
    private static Candidate? Step(SearchProblem problem, Constraint latency, ValidSampler sampler, Candidate current, float floor, ref int evaluations)
    {
        var table = latency.Table!;
        var space = problem.Space;
        int ne = space.ExpandRatios.Count, choices = space.KernelSizes.Count * ne;
        var x = current.Config;
        var active = new List<int>();
        int maxDepth = space.MaxDepth;
        for (int slot = 0; slot < space.SlotCount; slot++) if (x.IsActive(maxDepth, slot)) active.Add(slot);

        // Each block's every choice, the others unchanged.
        var singles = new List<SubnetConfig>(active.Count * choices);
        var gain = new double[active.Count][];
        var cost = new double[active.Count][];
        for (int a = 0; a < active.Count; a++)
        {
            int slot = active[a];
            gain[a] = new double[choices];
            cost[a] = new double[choices];
            for (int c = 0; c < choices; c++)
            {
                int k = space.KernelSizes[c / ne], e = space.ExpandRatios[c % ne];
                cost[a][c] = table.BlockMs(x.R, slot, k, e);
                if (k == x.Ks[slot] && e == x.E[slot]) continue;
                singles.Add(x.WithSlot(slot, k, e));
            }
        }
        var acc = new float[singles.Count];
        problem.Accuracy.PredictMany(singles.ToArray(), acc);
        evaluations += singles.Count;
        Candidate? bestMove = null;
        for (int a = 0, i = 0; a < active.Count; a++)
        {
            int slot = active[a];
            for (int c = 0; c < choices; c++)
            {
                int k = space.KernelSizes[c / ne], e = space.ExpandRatios[c % ne];
                if (k == x.Ks[slot] && e == x.E[slot]) continue;
                gain[a][c] = acc[i] - current.Accuracy;
                if (acc[i] > (bestMove?.Accuracy ?? floor) && sampler.TryMeasure(singles[i], out var m))
                    bestMove = new Candidate(singles[i], acc[i], m);
                i++;
            }
        }

        // The knapsack's optimum with each block forced to each of its choices: a batch of budget-filling re-allocations.
        var joints = new HashSet<SubnetConfig>();
        foreach (var pick in Solve(gain, cost, latency.Limit - table.FixedMs(x.R)))
        {
            var ks = (int[])x.Ks.Clone();
            var es = (int[])x.E.Clone();
            for (int a = 0; a < active.Count; a++) (ks[active[a]], es[active[a]]) = (space.KernelSizes[pick[a] / ne], space.ExpandRatios[pick[a] % ne]);
            var joint = new SubnetConfig(ks, es, x.D, x.R);
            if (!joint.Equals(x)) joints.Add(joint);
        }
        var fit = new List<(SubnetConfig Config, double[] Measures)>();
        foreach (var j in joints)
            if (sampler.TryMeasure(j, out var m)) fit.Add((j, m));
        if (fit.Count > 0)
        {
            var jointAcc = new float[fit.Count];
            problem.Accuracy.PredictMany(fit.Select(f => f.Config).ToArray(), jointAcc);
            evaluations += fit.Count;
            for (int i = 0; i < fit.Count; i++)
                if (jointAcc[i] > (bestMove?.Accuracy ?? floor)) bestMove = new Candidate(fit[i].Config, jointAcc[i], fit[i].Measures);
        }
        return bestMove;
    }

    /// <summary>
    /// Multiple-choice knapsack: one choice per group, the largest summed gain whose summed cost (each rounded up to
    /// <see cref="BinMs"/>) is at most <paramref name="capacity"/>. Returns the optimum with each group forced to each of
    /// its choices that can fit (from a forward and a backward table). NaN costs are never chosen.
    /// </summary>
    internal static IReadOnlyList<int[]> Solve(double[][] gain, double[][] cost, double capacity)
    {
        var results = new List<int[]>();
        if (!(capacity >= 0)) return results;
        int groups = gain.Length;
        var weight = new int[groups][];
        long dearest = 0;
        for (int g = 0; g < groups; g++)
        {
            weight[g] = new int[gain[g].Length];
            for (int c = 0; c < weight[g].Length; c++) weight[g][c] = double.IsNaN(cost[g][c]) ? int.MaxValue : (int)Math.Ceiling(cost[g][c] / BinMs);
            dearest += weight[g].Where(w => w != int.MaxValue).DefaultIfEmpty(0).Max();
        }
        // A capacity beyond every group's dearest choice admits them all: no wider table (a budget of 1e6 ms was 5e8 bins, and overflowed).
        int bins = (int)Math.Min(Math.Floor(capacity / BinMs), dearest), width = bins + 1;
        // forward[g]: best over groups [0, g) with cost <= w; backward[g]: over groups [g, groups). The tables (1.7 MB each
        // for 20 blocks at a 25 ms budget) are pooled: a search solves thousands, and fresh ones cost more in page faults
        // and garbage collection than the solving. Every row but the two empty ends is filled by Step.
        var pool = ArrayPool<double>.Shared;
        var forward = pool.Rent((groups + 1) * width);
        var backward = pool.Rent((groups + 1) * width);
        var reversed = pool.Rent(width);
        var forwardPick = ArrayPool<byte>.Shared.Rent(groups * width);
        var backwardPick = ArrayPool<byte>.Shared.Rent(groups * width);
        try
        {
            forward.AsSpan(0, width).Clear();
            backward.AsSpan(groups * width, width).Clear();
            // Below firstForward[g] (the cheapest choices' cost of groups [0, g)) a row is -inf; the same for firstBackward.
            var firstForward = new int[groups + 1];
            var firstBackward = new int[groups + 1];
            for (int g = 0; g < groups; g++)
                firstForward[g + 1] = Step(gain[g], weight[g], forward.AsSpan(g * width, width), firstForward[g], forward.AsSpan((g + 1) * width, width), forwardPick.AsSpan(g * width, width));
            for (int g = groups - 1; g >= 0; g--)
                firstBackward[g] = Step(gain[g], weight[g], backward.AsSpan((g + 1) * width, width), firstBackward[g + 1], backward.AsSpan(g * width, width), backwardPick.AsSpan(g * width, width));

            for (int g = 0; g < groups; g++)
            {
                // The backward row reversed, so a split's two halves are read in the same direction: reversed[bins - x] = backward[g + 1][x].
                var after = backward.AsSpan((g + 1) * width, width);
                for (int x = 0; x < width; x++) reversed[bins - x] = after[x];
                for (int c = 0; c < gain[g].Length; c++)
                {
                    int rest = bins - weight[g][c];
                    if (rest < 0) continue;
                    // forward[g][w] + backward[g + 1][rest - w] over w in [0, rest] (rest - w = bins - (weight + w)), where
                    // neither is -inf: w in [firstForward[g], rest - firstBackward[g + 1]].
                    int from = firstForward[g], to = rest - firstBackward[g + 1];
                    if (to < from) continue;
                    var (v, split) = BestSplit(forward.AsSpan(g * width + from, to - from + 1), reversed.AsSpan(weight[g][c] + from, to - from + 1));
                    if (split < 0 || double.IsNegativeInfinity(v)) continue;
                    split += from;
                    var result = new int[groups];
                    result[g] = c;
                    for (int h = g - 1, w = split; h >= 0; h--)
                    {
                        result[h] = forwardPick[h * width + w];
                        w -= weight[h][result[h]];
                    }
                    for (int h = g + 1, w = rest - split; h < groups; h++)
                    {
                        result[h] = backwardPick[h * width + w];
                        w -= weight[h][result[h]];
                    }
                    results.Add(result);
                }
            }
        }
        finally
        {
            pool.Return(forward);
            pool.Return(backward);
            pool.Return(reversed);
            ArrayPool<byte>.Shared.Return(forwardPick);
            ArrayPool<byte>.Shared.Return(backwardPick);
        }
        return results;
    }

    /// <summary>
    /// The largest before[w] + after[w] and the first w that reaches it (-1 if every sum is -inf). Four w at a time, each
    /// lane keeping its first maximum; of the lanes' maxima the first w among the largest: the same as one pass in order.
    /// </summary>
    private static (double Value, int Split) BestSplit(ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        double v = double.NegativeInfinity;
        int split = -1, w = 0, n = before.Length;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            var bestV = Vector256.Create(double.NegativeInfinity);
            var bestW = Vector256.Create(-1.0);
            var index = Vector256.Create(0.0, 1.0, 2.0, 3.0);
            var step = Vector256.Create((double)Vector256<double>.Count);
            for (; w + Vector256<double>.Count <= n; w += Vector256<double>.Count)
            {
                var s = Vector256.Create(before.Slice(w, Vector256<double>.Count)) + Vector256.Create(after.Slice(w, Vector256<double>.Count));
                var better = Vector256.GreaterThan(s, bestV);
                bestV = Vector256.ConditionalSelect(better, s, bestV);
                bestW = Vector256.ConditionalSelect(better, index, bestW);
                index += step;
            }
            for (int lane = 0; lane < Vector256<double>.Count; lane++)
            {
                double lv = bestV.GetElement(lane);
                int lw = (int)bestW.GetElement(lane);
                if (lw >= 0 && (split < 0 || lv > v || (lv == v && lw < split))) (v, split) = (lv, lw);
            }
        }
        for (; w < n; w++)
        {
            double s = before[w] + after[w];
            if (s > v) (v, split) = (s, w);
        }
        return (v, split);
    }

    /// <summary>
    /// One group added to a table: to[w] = max over choices of from[w - weight] + gain, the first choice among equals.
    /// Sixteen capacities at a time once every choice that fits the table is affordable (branch-free: the comparisons
    /// depend on the data), the others one at a time; both make the same sums and comparisons in choice order.
    /// <paramref name="fromFirst"/>: below it, from is -inf; returns the same bound for to.
    /// </summary>
    private static int Step(double[] gain, int[] weight, ReadOnlySpan<double> from, int fromFirst, Span<double> to, Span<byte> pick)
    {
        int width = to.Length, n = 0, dearest = 0;
        Span<int> ws = stackalloc int[gain.Length];
        Span<double> gs = stackalloc double[gain.Length];
        Span<byte> cs = stackalloc byte[gain.Length];
        for (int c = 0; c < gain.Length; c++)
            if (weight[c] < width)
            {
                (ws[n], gs[n], cs[n]) = (weight[c], gain[c], (byte)c);
                dearest = Math.Max(dearest, weight[c]);
                n++;
            }
        ws = ws[..n];
        gs = gs[..n];
        cs = cs[..n];
        // Below the cheapest choice past from's -inf prefix no sum is finite: -inf, choice 0 (what the loop below would store).
        int first = width;
        foreach (int c in ws) first = (int)Math.Min(first, (long)fromFirst + c);
        to[..first].Fill(double.NegativeInfinity);
        pick[..first].Clear();
        int w = first;
        for (; w < dearest && w < width; w++) StepAt(w, ws, gs, cs, from, to, pick);
        if (Vector256.IsHardwareAccelerated)
        {
            // Sixteen capacities (four vectors) per pass: each vector's compare-and-select chain over the choices waits on
            // its previous step, and four independent chains keep the core busy.
            const int L = 4;
            ref double source = ref MemoryMarshal.GetReference(from);
            ref double target = ref MemoryMarshal.GetReference(to);
            for (; w + 4 * L <= width; w += 4 * L)
            {
                Vector256<double> b0 = Vector256.Create(double.NegativeInfinity), b1 = b0, b2 = b0, b3 = b0;
                Vector256<long> p0 = Vector256<long>.Zero, p1 = p0, p2 = p0, p3 = p0;
                for (int i = 0; i < ws.Length; i++)
                {
                    var g = Vector256.Create(gs[i]);
                    var choice = Vector256.Create((long)cs[i]);
                    ref double x = ref Unsafe.Add(ref source, w - ws[i]);
                    Better(Vector256.LoadUnsafe(ref x) + g, choice, ref b0, ref p0);
                    Better(Vector256.LoadUnsafe(ref x, L) + g, choice, ref b1, ref p1);
                    Better(Vector256.LoadUnsafe(ref x, 2 * L) + g, choice, ref b2, ref p2);
                    Better(Vector256.LoadUnsafe(ref x, 3 * L) + g, choice, ref b3, ref p3);
                }
                b0.StoreUnsafe(ref target, (nuint)w);
                b1.StoreUnsafe(ref target, (nuint)(w + L));
                b2.StoreUnsafe(ref target, (nuint)(w + 2 * L));
                b3.StoreUnsafe(ref target, (nuint)(w + 3 * L));
                StorePicks(pick, w, p0);
                StorePicks(pick, w + L, p1);
                StorePicks(pick, w + 2 * L, p2);
                StorePicks(pick, w + 3 * L, p3);
            }
        }
        for (; w < width; w++) StepAt(w, ws, gs, cs, from, to, pick);
        return first;
    }

    /// <summary>Where <paramref name="candidate"/> beats <paramref name="best"/> (strictly: the first choice among equals stays), take it and its choice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Better(Vector256<double> candidate, Vector256<long> choice, ref Vector256<double> best, ref Vector256<long> chosen)
    {
        var better = Vector256.GreaterThan(candidate, best);
        best = Vector256.ConditionalSelect(better, candidate, best);
        chosen = Vector256.ConditionalSelect(better.AsInt64(), choice, chosen);
    }

    private static void StorePicks(Span<byte> pick, int at, Vector256<long> chosen)
    {
        for (int lane = 0; lane < Vector256<long>.Count; lane++) pick[at + lane] = (byte)chosen.GetElement(lane);
    }

    /// <summary>One capacity of <see cref="Step"/>: the choices (weights, gains, indices) in order, the first best kept.</summary>
    private static void StepAt(int at, ReadOnlySpan<int> ws, ReadOnlySpan<double> gs, ReadOnlySpan<byte> cs, ReadOnlySpan<double> from, Span<double> to, Span<byte> pick)
    {
        double best = double.NegativeInfinity;
        byte chosen = 0;
        for (int i = 0; i < ws.Length; i++)
        {
            if (ws[i] > at) continue;
            double cand = from[at - ws[i]] + gs[i];
            if (cand > best) (best, chosen) = (cand, cs[i]);
        }
        to[at] = best;
        pick[at] = chosen;
    }
}
