namespace OfaBuild.Core.Tests.Search;

/// <summary>
/// The knapsack's tables are filled and split four capacities at a time; the search's result must stay what a plain
/// pass in order gives (the same sums, the first choice and the first split among equals).
/// </summary>
public sealed class KnapsackSolveTests
{
    [Fact]
    public void Solve_picks_what_a_plain_pass_in_order_picks_ties_and_unaffordable_choices_included()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            int groups = rng.Next(1, 7), choices = rng.Next(1, 10);
            // Gains on a coarse grid tie often (and so do sums); some costs are NaN (no table entry) or above the capacity.
            var gain = Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, choices).Select(_ => rng.Next(-3, 4) * 0.25).ToArray()).ToArray();
            var cost = Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, choices).Select(_ =>
                rng.Next(12) == 0 ? double.NaN : rng.NextDouble() * 0.05).ToArray()).ToArray();
            // From under one bin (the table narrower than a vector) to above every group's dearest choice.
            double capacity = rng.Next(4) == 0 ? rng.NextDouble() * 0.008 : rng.NextDouble() * 0.05 * groups * 1.2;
            var expected = PlainSolve(gain, cost, capacity).Select(p => string.Join(",", p)).ToArray();
            var actual = KnapsackRefinement.Solve(gain, cost, capacity).Select(p => string.Join(",", p)).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"trial {trial}: [{string.Join(" ", actual)}] != [{string.Join(" ", expected)}]");
        }
    }

    /// <summary>The solver before it was vectorised: every table entry and every split one at a time, in order.</summary>
    private static List<int[]> PlainSolve(double[][] gain, double[][] cost, double capacity)
    {
        const double binMs = 0.002;
        var results = new List<int[]>();
        if (!(capacity >= 0)) return results;
        int groups = gain.Length;
        var weight = gain.Select((g, i) => cost[i].Select(c => double.IsNaN(c) ? int.MaxValue : (int)Math.Ceiling(c / binMs)).ToArray()).ToArray();
        long dearest = weight.Sum(w => (long)w.Where(x => x != int.MaxValue).DefaultIfEmpty(0).Max());
        int bins = (int)Math.Min(Math.Floor(capacity / binMs), dearest), width = bins + 1;
        var forward = new double[groups + 1, width];
        var backward = new double[groups + 1, width];
        var forwardPick = new int[groups, width];
        var backwardPick = new int[groups, width];
        void Add(int g, int fromRow, double[,] table, int toRow, int[,] pick)
        {
            for (int w = 0; w < width; w++)
            {
                table[toRow, w] = double.NegativeInfinity;
                for (int c = 0; c < gain[g].Length; c++)
                    if (weight[g][c] <= w && table[fromRow, w - weight[g][c]] + gain[g][c] > table[toRow, w])
                        (table[toRow, w], pick[g, w]) = (table[fromRow, w - weight[g][c]] + gain[g][c], c);
            }
        }
        for (int g = 0; g < groups; g++) Add(g, g, forward, g + 1, forwardPick);
        for (int g = groups - 1; g >= 0; g--) Add(g, g + 1, backward, g, backwardPick);
        for (int g = 0; g < groups; g++)
            for (int c = 0; c < gain[g].Length; c++)
            {
                int rest = bins - weight[g][c];
                if (rest < 0) continue;
                double v = double.NegativeInfinity;
                int split = -1;
                for (int w = 0; w <= rest; w++)
                    if (forward[g, w] + backward[g + 1, rest - w] > v) (v, split) = (forward[g, w] + backward[g + 1, rest - w], w);
                if (split < 0) continue;
                var result = new int[groups];
                result[g] = c;
                for (int h = g - 1, w = split; h >= 0; w -= weight[h][result[h]], h--) result[h] = forwardPick[h, w];
                for (int h = g + 1, w = rest - split; h < groups; w -= weight[h][result[h]], h++) result[h] = backwardPick[h, w];
                results.Add(result);
            }
        return results;
    }
}
