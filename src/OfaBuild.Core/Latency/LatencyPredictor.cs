namespace OfaBuild.Core.Latency;

/// <summary>
/// A latency table compiled for one space: per resolution the stem and head entries, per (resolution, slot,
/// kernel, expand) the block entry, in flat arrays. Sums in the same order as <see cref="LatencyTable.Predict"/>,
/// so both give the same number. Missing entries are only an error when a subnet needs them.
/// </summary>
public sealed class LatencyPredictor
{
    private readonly LatencyTable _table;
    private readonly SearchSpace _space;
    private readonly string? _packagePath;
    private readonly int[] _rIndex, _kIndex, _eIndex;
    private readonly double[][] _stem, _head;
    private readonly double[] _blocks;
    private readonly int _nk, _ne, _slots, _maxDepth;

    /// <summary>The space's resolutions for which the table has every layer shape (the others cannot be predicted).</summary>
    public IReadOnlyList<int> CoveredResolutions { get; }

    public LatencyTableKind Kind => _table.Kind;
    public string Device => _table.Device;
    public LatencyTable Table => _table;
    public SearchSpace Space => _space;

    internal LatencyPredictor(LatencyTable table, SearchSpace space, string? packagePath = null)
    {
        _table = table;
        _space = space;
        _packagePath = packagePath;
        _slots = space.SlotCount;
        _maxDepth = space.MaxDepth;
        _nk = space.KernelSizes.Count;
        _ne = space.ExpandRatios.Count;
        _rIndex = IndexMap(space.Resolutions);
        _kIndex = IndexMap(space.KernelSizes);
        _eIndex = IndexMap(space.ExpandRatios);
        int nr = space.Resolutions.Count;
        _stem = new double[nr][];
        _head = new double[nr][];
        _blocks = new double[nr * _slots * _nk * _ne];
        for (int ri = 0; ri < nr; ri++)
        {
            int r = space.Resolutions[ri];
            _stem[ri] = NetworkShapes.Stem(space, r).Select(l => Entry(l, r)).ToArray();
            _head[ri] = NetworkShapes.Head(space, r).Select(l => Entry(l, r)).ToArray();
            var sizes = NetworkShapes.SlotInputSizes(space, r);
            foreach (var slot in space.Slots)
                for (int ki = 0; ki < _nk; ki++)
                    for (int ei = 0; ei < _ne; ei++)
                        _blocks[((ri * _slots + slot.Index) * _nk + ki) * _ne + ei] =
                            Entry(NetworkShapes.Block(slot, sizes[slot.Index], space.KernelSizes[ki], space.ExpandRatios[ei]), r);
        }
        var covered = new List<int>();
        int perResolution = _slots * _nk * _ne;
        for (int ri = 0; ri < nr; ri++)
            if (!_stem[ri].Concat(_head[ri]).Concat(_blocks.Skip(ri * perResolution).Take(perResolution)).Any(double.IsNaN))
                covered.Add(space.Resolutions[ri]);
        CoveredResolutions = covered;
    }

    private double Entry(LayerShape l, int resolution) => _table.TryGet(l.Key, resolution, out var e) ? e.Mean : double.NaN;

    private static int[] IndexMap(IReadOnlyList<int> values)
    {
        var map = new int[values.Max() + 1];
        Array.Fill(map, -1);
        for (int i = 0; i < values.Count; i++) map[values[i]] = i;
        return map;
    }

    private static int Find(int[] map, int v) => (uint)v < (uint)map.Length ? map[v] : -1;

    /// <summary>What every subnet at resolution <paramref name="r"/> pays whatever its blocks (stem, head, the table's constant); NaN if an entry is missing.</summary>
    public double FixedMs(int r)
    {
        int ri = Find(_rIndex, r);
        if (ri < 0) return double.NaN;
        double sum = 0;
        foreach (var v in _stem[ri]) sum += v;
        foreach (var v in _head[ri]) sum += v;
        return sum + _table.ConstantMs;
    }

    /// <summary>Latency of the block in <paramref name="slot"/> with kernel <paramref name="k"/> and expand ratio <paramref name="e"/> at resolution <paramref name="r"/>; NaN if missing.</summary>
    public double BlockMs(int r, int slot, int k, int e)
    {
        int ri = Find(_rIndex, r), ki = Find(_kIndex, k), ei = Find(_eIndex, e);
        return ri < 0 || ki < 0 || ei < 0 || (uint)slot >= (uint)_slots ? double.NaN : _blocks[((ri * _slots + slot) * _nk + ki) * _ne + ei];
    }

    /// <summary>Predicted latency in ms; throws the table's "missing entry" error if a needed entry is absent.</summary>
    public double Predict(SubnetConfig c)
    {
        int ri = Find(_rIndex, c.R);
        if (ri < 0) throw new OfaException($"Resolution {c.R} is not in space '{_space.Name}' ({string.Join(", ", _space.Resolutions)}).");
        double sum = 0;
        foreach (var v in _stem[ri]) sum += v;
        // The active slots in ascending order, as LatencyTable.Predict adds them.
        int stages = _slots / _maxDepth;
        if (c.D.Length != stages) c.Validate(_space);
        for (int s = 0; s < stages; s++)
        {
            for (var (slot, end) = c.ActiveSlots(_maxDepth, s); slot < end; slot++)
            {
                int ki = Find(_kIndex, c.Ks[slot]), ei = Find(_eIndex, c.E[slot]);
                if (ki < 0 || ei < 0) c.Validate(_space);
                sum += _blocks[((ri * _slots + slot) * _nk + ki) * _ne + ei];
            }
        }
        foreach (var v in _head[ri]) sum += v;
        sum += _table.ConstantMs;
        if (double.IsNaN(sum)) return _table.Predict(_space, c, _packagePath); // names the missing key
        return sum;
    }
}
