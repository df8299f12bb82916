using System.Buffers.Binary;
using System.Text;
using OfaBuild.Core.Tensors;

namespace OfaBuild.TestSupport;

/// <summary>
/// Writes a state dict in the legacy (PyTorch &lt; 1.6) torch.save format, byte for byte as torch 1.x does
/// with <c>_use_new_zipfile_serialization=False</c> from CUDA tensors: magic, protocol 1001 and system-info
/// pickles, the object pickle (protocol 2, persistent ids <c>('storage', torch.FloatStorage, key, 'cuda:0', numel, None)</c>),
/// the key list, then each storage as an 8-byte element count and its bytes. Test input only.
/// </summary>
public static class LegacyTorchWriter
{
    /// <param name="wrap">Save <c>{"epoch": 120, "state_dict": ...}</c> as the model zoo does, instead of a bare state dict.</param>
    public static byte[] Write(TensorSet tensors, bool wrap, string location = "cuda:0")
    {
        var o = new MemoryStream();
        o.Write([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var p = new Pickle(o);
        p.Proto().Int(1001).Stop();
        p.Proto().Op('}').Op('(').Str("protocol_version").Int(1001).Str("little_endian").Op(0x88)
            .Str("type_sizes").Op('}').Op('(').Str("short").Int(2).Str("int").Int(4).Str("long").Int(4).Op('u').Op('u').Stop();

        var keys = new List<(string Key, Tensor Tensor)>();
        p.Proto();
        if (wrap) p.Op('}').Str("epoch").Int(120).Op('s').Str("state_dict");
        p.Global("collections", "OrderedDict").Op(')').Op('R');
        foreach (var (name, t) in tensors.Items)
        {
            string key = (1000 + keys.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            keys.Add((key, t));
            p.Str(name).Global("torch._utils", "_rebuild_tensor_v2").Op('(');
            p.Op('(').Str("storage").Global("torch", StorageName(t.DType)).Str(key).Str(location).Int(t.ElementCount).Op('N').Op('t').Op('Q');
            p.Int(0).Ints(t.Shape).Ints(Strides(t.Shape)).Op(0x89).Global("collections", "OrderedDict").Op(')').Op('R').Op('t').Op('R');
            p.Op('s');
        }
        if (wrap) p.Op('s');
        p.Stop();

        p.Proto().Op(']').Op('(');
        foreach (var (key, _) in keys) p.Str(key);
        p.Op('e').Stop();
        foreach (var (_, t) in keys)
        {
            var n = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(n, t.ElementCount);
            o.Write(n);
            o.Write(t.Bytes);
        }
        return o.ToArray();
    }

    private static string StorageName(DType d) => d switch
    {
        DType.F32 => "FloatStorage",
        DType.I64 => "LongStorage",
        _ => throw new NotSupportedException(d.ToString()),
    };

    private static long[] Strides(int[] shape)
    {
        var s = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
        return s;
    }

    private sealed class Pickle(Stream o)
    {
        public Pickle Op(int op) { o.WriteByte((byte)op); return this; }
        public Pickle Proto() => Op(0x80).Op(2);
        public Pickle Stop() => Op('.');
        public Pickle Global(string module, string name) { Op('c'); o.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); return this; }

        public Pickle Str(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            Op('X');
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(len, b.Length);
            o.Write(len);
            o.Write(b);
            return this;
        }

        public Pickle Int(long v)
        {
            if (v is >= 0 and < 256) return Op('K').Op((int)v);
            if (v is >= 0 and < 65536) return Op('M').Op((int)(v & 0xff)).Op((int)(v >> 8));
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, checked((int)v));
            Op('J');
            o.Write(b);
            return this;
        }

        public Pickle Ints(IEnumerable<long> values)
        {
            Op('(');
            foreach (var v in values) Int(v);
            return Op('t');
        }

        public Pickle Ints(int[] values) => Ints(values.Select(v => (long)v));
    }
}
