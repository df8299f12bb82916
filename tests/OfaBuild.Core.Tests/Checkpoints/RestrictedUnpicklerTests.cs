namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>The unpickler's plain-data opcodes on bytes written by CPython's own pickle module.</summary>
public class RestrictedUnpicklerTests
{
    /// <summary>A host that allows nothing: plain data needs no globals, calls or persistent ids.</summary>
    private sealed class NothingHost : IPickleHost
    {
        public object ResolveGlobal(string module, string name) => throw new OfaFormatException($"t: global {module}.{name}");
        public object? Call(object? callable, object?[] args) => throw new OfaFormatException("t: call");
        public object? PersistentLoad(object? pid) => throw new OfaFormatException("t: persistent id");
        public void Build(object? target, object? state) => throw new OfaFormatException("t: build");
    }

    // Python 3: l = [7]; pickle.dumps({'a': [1, -2, 3.5, 'é', (True, False, None)], 'big': 2**40,
    //   'neg': -2**40 - 1, 't3': (1, 2, 3), 'r': l, 'r2': l}, protocol=4).hex()
    // Uses FRAME, MEMOIZE, SHORT_BINUNICODE, APPENDS, APPEND, BINFLOAT, TUPLE3, LONG1 (both signs), BINGET.
    private const string Protocol4 =
        "80049560000000000000007d94288c0161945d94284b014afeffffff47400c0000000000008c02c3a99488894e8794658c03626967948a0600" +
        "00000000018c036e6567948a06fffffffffffe8c027433944b014b024b0387948c0172945d944b07618c02723294680a752e";

    [Fact]
    public void Reads_what_cpython_writes_with_protocol_4()
    {
        var root = Assert.IsType<PickleDict>(RestrictedUnpickler.Load(Convert.FromHexString(Protocol4), "t", new NothingHost()));
        Assert.Equal(["a", "big", "neg", "t3", "r", "r2"], root.Items.Select(kv => (string)kv.Key!));
        Assert.True(root.TryGet("a", out var a));
        var list = Assert.IsType<List<object?>>(a);
        Assert.Equal([1L, -2L, 3.5, "é"], list.Take(4));
        Assert.Equal(new object?[] { true, false, null }, Assert.IsType<object?[]>(list[4]));
        Assert.True(root.TryGet("big", out var big) && big is 1099511627776L);
        Assert.True(root.TryGet("neg", out var neg) && neg is -1099511627777L);
        Assert.True(root.TryGet("t3", out var t3));
        Assert.Equal(new object?[] { 1L, 2L, 3L }, t3);
        root.TryGet("r", out var r);
        root.TryGet("r2", out var r2);
        Assert.Same(r, r2); // the memo shares one list, as in Python
        Assert.Equal([7L], Assert.IsType<List<object?>>(r));
    }

    [Fact]
    public void A_frame_longer_than_the_pickle_is_refused()
    {
        var bytes = Convert.FromHexString(Protocol4);
        bytes[3] = 0xff; // FRAME length 0x..ff60
        var e = Assert.Throws<OfaFormatException>(() => RestrictedUnpickler.Load(bytes, "t", new NothingHost()));
        Assert.Contains("FRAME of", e.Message);
    }
}
