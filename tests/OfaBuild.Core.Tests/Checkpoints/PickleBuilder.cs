using System.Buffers.Binary;
using System.Text;

namespace OfaBuild.Core.Tests.Checkpoints;

/// <summary>Writes pickle bytes opcode by opcode, the way torch.save does (protocol 2), for test inputs.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public PickleBuilder Op(byte op) { _bytes.Add(op); return this; }
    public PickleBuilder Raw(params byte[] bytes) { _bytes.AddRange(bytes); return this; }

    public PickleBuilder Proto(byte version = 2) => Op(0x80).Raw(version);
    public PickleBuilder Stop() => Op((byte)'.');
    public PickleBuilder Mark() => Op((byte)'(');
    public PickleBuilder Tuple() => Op((byte)'t');
    public PickleBuilder EmptyTuple() => Op((byte)')');
    public PickleBuilder EmptyDict() => Op((byte)'}');
    public PickleBuilder EmptyList() => Op((byte)']');
    public PickleBuilder Reduce() => Op((byte)'R');
    public PickleBuilder Build() => Op((byte)'b');
    public PickleBuilder SetItem() => Op((byte)'s');
    public PickleBuilder SetItems() => Op((byte)'u');
    public PickleBuilder Append() => Op((byte)'a');
    public PickleBuilder PersId() => Op((byte)'Q');
    public PickleBuilder False() => Op(0x89);
    public PickleBuilder Put(byte index) => Op((byte)'q').Raw(index);
    public PickleBuilder Get(byte index) => Op((byte)'h').Raw(index);

    public PickleBuilder Global(string module, string name) =>
        Op((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleBuilder StackGlobal(string module, string name) => Str(module).Str(name).Op(0x93);

    public PickleBuilder Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        var len = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(len, utf8.Length);
        return Op((byte)'X').Raw(len).Raw(utf8);
    }

    public PickleBuilder Int(long v)
    {
        if (v is >= 0 and < 256) return Op((byte)'K').Raw((byte)v);
        if (v is >= 0 and < 65536) return Op((byte)'M').Raw((byte)v, (byte)(v >> 8));
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, checked((int)v));
        return Op((byte)'J').Raw(b);
    }

    public PickleBuilder Ints(params long[] values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Tuple();
    }

    /// <summary>OrderedDict() as torch.save writes it.</summary>
    public PickleBuilder NewOrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary>
    /// _rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()), leaving the tensor on the stack.
    /// </summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2").Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str("cpu").Int(numel).Tuple().PersId();
        Int(offset).Ints(size).Ints(stride).False().NewOrderedDict();
        return Tuple().Reduce();
    }
}
