namespace OfaBuild.Core.Onnx;

/// <summary>
/// Builds one ONNX model (IR 8, opset 17: what Debian's onnx 1.12 checker and ONNX Runtime both accept).
/// Node and tensor names are given by the caller, so the same inputs give a byte-identical file.
/// </summary>
public sealed class OnnxGraph
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    private const int FloatType = (int)OnnxDataType.Float;

    private readonly ProtoMessage _graph = new();
    private readonly List<ProtoMessage> _nodes = new(), _initializers = new(), _inputs = new(), _outputs = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly string _name;

    public OnnxGraph(string name) => _name = name;

    /// <summary>A float input; a dimension is a number or a symbolic name (e.g. "batch").</summary>
    public string Input(string name, params object[] dims)
    {
        _inputs.Add(ValueInfo(Unique(name), dims));
        return name;
    }

    public void Output(string name, params object[] dims) => _outputs.Add(ValueInfo(name, dims));

    /// <summary>A float output whose shape is left to ONNX Runtime's inference (e.g. an intermediate tensor exposed for calibration).</summary>
    public void OutputOfAnyShape(string name) => _outputs.Add(ValueInfo(name, null));

    public string Initializer(string name, float[] data, params long[] dims)
    {
        var t = new ProtoMessage();
        foreach (var d in dims) t.Varint(1, d);
        t.Varint(2, FloatType).String(8, Unique(name)).RawFloats(9, data);
        _initializers.Add(t);
        return name;
    }

    /// <summary>An initializer of another element type, given as its little-endian bytes (TensorProto.raw_data).</summary>
    public string Initializer(string name, OnnxDataType type, byte[] raw, params long[] dims)
    {
        var t = new ProtoMessage();
        foreach (var d in dims) t.Varint(1, d);
        t.Varint(2, (int)type).String(8, Unique(name)).Bytes(9, raw);
        _initializers.Add(t);
        return name;
    }

    /// <summary>Adds a node; returns its (first) output name, which is <paramref name="output"/>.</summary>
    public string Node(string opType, string name, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        var n = new ProtoMessage();
        foreach (var i in inputs) n.String(1, i);
        n.String(2, Unique(output)).String(3, name).String(4, opType);
        foreach (var a in attributes) n.Message(5, a.ToProto());
        _nodes.Add(n);
        return output;
    }

    public byte[] ToModel(string producerName, string producerVersion, string docString = "")
    {
        var g = new ProtoMessage();
        foreach (var n in _nodes) g.Message(1, n);
        g.String(2, _name);
        foreach (var i in _initializers) g.Message(5, i);
        if (docString.Length > 0) g.String(10, docString);
        foreach (var i in _inputs) g.Message(11, i);
        foreach (var o in _outputs) g.Message(12, o);

        var model = new ProtoMessage()
            .Varint(1, IrVersion)
            .String(2, producerName)
            .String(3, producerVersion)
            .Message(7, g)
            .Message(8, new ProtoMessage().String(1, "").Varint(2, Opset));
        return model.ToArray();
    }

    private string Unique(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"ONNX value name '{name}' is used twice.");
        return name;
    }

    private static ProtoMessage ValueInfo(string name, object[]? dims)
    {
        var tensorType = new ProtoMessage().Varint(1, FloatType);
        if (dims is not null) tensorType.Message(2, Shape(dims));
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }

    private static ProtoMessage Shape(object[] dims)
    {
        var shape = new ProtoMessage();
        foreach (var d in dims)
        {
            var dim = new ProtoMessage();
            if (d is string s) dim.String(2, s); else dim.Varint(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
            shape.Message(1, dim);
        }
        return shape;
    }
}

/// <summary>TensorProto.DataType values of the element types OfaBuild writes.</summary>
public enum OnnxDataType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    Int32 = 6,
}

/// <summary>A node attribute (the kinds the exporter uses).</summary>
public readonly record struct OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);

    internal ProtoMessage ToProto()
    {
        var a = new ProtoMessage().String(1, Name);
        if (Float is { } f) a.Float(2, f).Varint(20, 1);
        else if (Int is { } i) a.Varint(3, i).Varint(20, 2);
        else
        {
            foreach (var v in Ints!) a.Varint(8, v);
            a.Varint(20, 7);
        }
        return a;
    }
}
