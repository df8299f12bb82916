using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using OfaBuild.Core.Onnx;

namespace OfaBuild.Core.Quantization;

/// <summary>
/// An ONNX model read back into memory: the subset of ModelProto that <see cref="OnnxGraph"/> writes
/// (nodes with int/float/ints attributes, raw-data initializers, value infos). Enough to rewrite an
/// exported subnet, and to list the kernels of ONNX Runtime's optimised model; fields outside that
/// subset are skipped.
/// </summary>
public sealed record OnnxModel(
    string GraphName,
    string ProducerName,
    string ProducerVersion,
    string DocString,
    IReadOnlyList<OnnxNode> Nodes,
    IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs,
    IReadOnlyList<OnnxValueInfo> Outputs)
{
    public static OnnxModel Read(byte[] model, string source)
    {
        try
        {
            return ReadModel(model);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or InvalidDataException)
        {
            throw new OfaFormatException($"{source}: not a readable ONNX model ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Writes the model back (IR 8, opset 17, float input and outputs), with <paramref name="extraOutputs"/>
    /// (intermediate tensors, shape left to inference) appended to the outputs.
    /// </summary>
    public byte[] ToBytes(IEnumerable<string>? extraOutputs = null)
    {
        var g = new OnnxGraph(GraphName);
        foreach (var i in Inputs) g.Input(i.Name, i.Dims ?? throw new OfaFormatException($"ONNX input '{i.Name}' has no shape."));
        foreach (var t in Initializers) g.Initializer(t.Name, t.Type, t.Raw, t.Dims);
        foreach (var n in Nodes)
        {
            if (n.Outputs.Length != 1 || n.Domain.Length > 0)
                throw new OfaFormatException($"ONNX node '{n.Name}' ({n.Domain}{n.OpType}) has {n.Outputs.Length} outputs; only single-output ONNX-domain nodes can be rewritten.");
            g.Node(n.OpType, n.Name, n.Inputs, n.Outputs[0], n.Attributes);
        }
        foreach (var o in Outputs)
            if (o.Dims is null) g.OutputOfAnyShape(o.Name); else g.Output(o.Name, o.Dims);
        foreach (var o in extraOutputs ?? []) g.OutputOfAnyShape(o);
        return g.ToModel(ProducerName, ProducerVersion, DocString);
    }

    private static OnnxModel ReadModel(byte[] bytes)
    {
        string producer = "", version = "", graphName = "", doc = "";
        var nodes = new List<OnnxNode>();
        var inits = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 2) producer = f.Text;
            else if (f.Number == 3) version = f.Text;
            else if (f.Number == 7)
                foreach (var g in Fields(f.Bytes))
                    switch (g.Number)
                    {
                        case 1: nodes.Add(ReadNode(g.Bytes)); break;
                        case 2: graphName = g.Text; break;
                        case 5: inits.Add(ReadTensor(g.Bytes)); break;
                        case 10: doc = g.Text; break;
                        case 11: inputs.Add(ReadValueInfo(g.Bytes)); break;
                        case 12: outputs.Add(ReadValueInfo(g.Bytes)); break;
                    }
        }
        return new OnnxModel(graphName, producer, version, doc, nodes, inits, inputs, outputs);
    }

    private static OnnxNode ReadNode(ReadOnlyMemory<byte> bytes)
    {
        var (inputs, outputs, attributes) = (new List<string>(), new List<string>(), new List<OnnxAttribute>());
        string name = "", op = "", domain = "";
        foreach (var f in Fields(bytes))
            switch (f.Number)
            {
                case 1: inputs.Add(f.Text); break;
                case 2: outputs.Add(f.Text); break;
                case 3: name = f.Text; break;
                case 4: op = f.Text; break;
                case 5: attributes.Add(ReadAttribute(f.Bytes)); break;
                case 7: domain = f.Text; break;
            }
        return new OnnxNode(op, name, inputs.ToArray(), outputs.ToArray(), attributes.ToArray(), domain);
    }

    private static OnnxAttribute ReadAttribute(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        long? i = null;
        float? v = null;
        var ints = new List<long>();
        foreach (var f in Fields(bytes))
            switch (f.Number)
            {
                case 1: name = f.Text; break;
                case 2: v = BitConverter.Int32BitsToSingle((int)f.Value); break;
                case 3: i = f.Value; break;
                case 8: f.AddInts(ints); break;
            }
        return v is { } fv ? OnnxAttribute.Of(name, fv) : i is { } iv ? OnnxAttribute.Of(name, iv) : OnnxAttribute.Of(name, ints.ToArray());
    }

    private static OnnxTensor ReadTensor(ReadOnlyMemory<byte> bytes)
    {
        var dims = new List<long>();
        int type = 0;
        string name = "";
        byte[] raw = [];
        var floats = new List<float>();
        foreach (var f in Fields(bytes))
            switch (f.Number)
            {
                case 1: f.AddInts(dims); break;
                case 2: type = (int)f.Value; break;
                case 4:
                    if (f.Wire == 2) floats.AddRange(MemoryMarshal.Cast<byte, float>(f.Bytes.Span).ToArray());
                    else floats.Add(BitConverter.Int32BitsToSingle((int)f.Value));
                    break;
                case 8: name = f.Text; break;
                case 9: raw = f.Bytes.ToArray(); break;
            }
        if (raw.Length == 0 && floats.Count > 0) raw = MemoryMarshal.AsBytes(floats.ToArray().AsSpan()).ToArray();
        return new OnnxTensor(name, (OnnxDataType)type, dims.ToArray(), raw);
    }

    private static OnnxValueInfo ReadValueInfo(ReadOnlyMemory<byte> bytes)
    {
        string name = "";
        object[]? dims = null;
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 1) name = f.Text;
            else if (f.Number == 2)
                foreach (var tensorType in Fields(f.Bytes).Where(t => t.Number == 1))
                    foreach (var shape in Fields(tensorType.Bytes).Where(s => s.Number == 2))
                        dims = Fields(shape.Bytes).Where(d => d.Number == 1).Select(d =>
                        {
                            object dim = "?";
                            foreach (var v in Fields(d.Bytes))
                                dim = v.Number == 1 ? v.Value : v.Text;
                            return dim;
                        }).ToArray();
        }
        return new OnnxValueInfo(name, dims);
    }

    private readonly record struct Field(int Number, int Wire, long Value, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes.Span);

        /// <summary>A repeated int64 field, packed or not.</summary>
        public void AddInts(List<long> into)
        {
            if (Wire == 0) { into.Add(Value); return; }
            var span = Bytes.Span;
            for (int pos = 0; pos < span.Length;) into.Add(ReadVarint(span, ref pos));
        }
    }

    private static List<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<Field>();
        int pos = 0;
        while (pos < message.Length)
        {
            long key = ReadVarint(message.Span, ref pos);
            int number = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    fields.Add(new Field(number, wire, ReadVarint(message.Span, ref pos), default));
                    break;
                case 1:
                    fields.Add(new Field(number, wire, BinaryPrimitives.ReadInt64LittleEndian(message.Span[pos..]), default));
                    pos += 8;
                    break;
                case 2:
                    int length = checked((int)ReadVarint(message.Span, ref pos));
                    if (length < 0 || pos + length > message.Length) throw new InvalidDataException("a length runs past the end");
                    fields.Add(new Field(number, wire, 0, message.Slice(pos, length)));
                    pos += length;
                    break;
                case 5:
                    fields.Add(new Field(number, wire, BinaryPrimitives.ReadInt32LittleEndian(message.Span[pos..]), default));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {wire} at byte {pos}");
            }
        }
        return fields;
    }

    private static long ReadVarint(ReadOnlySpan<byte> s, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = s[pos++];
            v |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80) return (long)v;
        }
        throw new InvalidDataException("a varint is longer than 10 bytes");
    }
}

public sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes, string Domain = "")
{
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name) is { Name: not null } a ? a : null;
}

/// <summary>An initializer: element type, dimensions and little-endian bytes.</summary>
public sealed record OnnxTensor(string Name, OnnxDataType Type, long[] Dims, byte[] Raw)
{
    public float[] Floats => Type == OnnxDataType.Float
        ? MemoryMarshal.Cast<byte, float>(Raw).ToArray()
        : throw new OfaFormatException($"ONNX initializer '{Name}' is {Type}; expected float.");
}

/// <summary>A graph input or output; <see cref="Dims"/> holds numbers and symbolic names, or is null when the shape is not given.</summary>
public sealed record OnnxValueInfo(string Name, object[]? Dims);
