namespace OfaBuild.Core.Search;

/// <summary>
/// The reference's ArchManager moves (ofa/nas/search_algorithm/evolution.py) on a space, with our RNG:
/// mutation (resolution with one probability; each block's kernel and expand ratio together, and each
/// stage's depth, with another) and uniform crossover. Uniform samples are <see cref="SubnetConfig.Sample(SearchSpace, Func{int, int}, IReadOnlyList{int}?, IReadOnlyList{int}?, IReadOnlyList{int}?, int?)"/>.
/// </summary>
internal static class SpaceMoves
{
    public static SubnetConfig Mutate(SearchSpace space, SubnetConfig parent, Xoshiro256 rng, double resolutionProb, double archProb)
    {
        var ks = (int[])parent.Ks.Clone();
        var e = (int[])parent.E.Clone();
        var d = (int[])parent.D.Clone();
        int r = parent.R;
        if (rng.NextDouble() < resolutionProb) r = rng.Choice(space.Resolutions);
        for (int i = 0; i < ks.Length; i++)
        {
            if (rng.NextDouble() < archProb)
            {
                ks[i] = rng.Choice(space.KernelSizes);
                e[i] = rng.Choice(space.ExpandRatios);
            }
        }
        for (int s = 0; s < d.Length; s++)
            if (rng.NextDouble() < archProb) d[s] = rng.Choice(space.Depths);
        return new SubnetConfig(ks, e, d, r);
    }

    /// <summary>Every gene (each ks, e, d entry and r) from one of the two parents with probability 1/2.</summary>
    public static SubnetConfig Crossover(SubnetConfig a, SubnetConfig b, Xoshiro256 rng)
    {
        int[] Mix(int[] x, int[] y)
        {
            var z = new int[x.Length];
            for (int i = 0; i < z.Length; i++) z[i] = rng.NextInt(2) == 0 ? x[i] : y[i];
            return z;
        }
        var ks = Mix(a.Ks, b.Ks);
        var e = Mix(a.E, b.E);
        var d = Mix(a.D, b.D);
        int r = rng.NextInt(2) == 0 ? a.R : b.R;
        return new SubnetConfig(ks, e, d, r);
    }
}
