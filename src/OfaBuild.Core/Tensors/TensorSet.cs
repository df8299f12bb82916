namespace OfaBuild.Core.Tensors;

/// <summary>Named tensors in ordinal name order (the order safetensors files are written in).</summary>
public sealed class TensorSet
{
    private readonly SortedDictionary<string, Tensor> _tensors = new(StringComparer.Ordinal);

    /// <summary>Where these tensors came from, for error messages (a file path or a description).</summary>
    public string Source { get; }

    public TensorSet(string source = "tensors") => Source = source;

    public TensorSet(string source, IEnumerable<KeyValuePair<string, Tensor>> tensors) : this(source)
    {
        foreach (var (k, v) in tensors) Add(k, v);
    }

    public int Count => _tensors.Count;
    public IEnumerable<string> Names => _tensors.Keys;
    public IEnumerable<KeyValuePair<string, Tensor>> Items => _tensors;

    public void Add(string name, Tensor tensor)
    {
        if (!_tensors.TryAdd(name, tensor))
            throw new OfaFormatException($"{Source}: tensor '{name}' appears twice.");
    }

    public void Set(string name, Tensor tensor) => _tensors[name] = tensor;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public bool TryGet(string name, out Tensor tensor) => _tensors.TryGetValue(name, out tensor!);

    public Tensor this[string name] => _tensors.TryGetValue(name, out var t)
        ? t
        : throw new OfaFormatException($"{Source}: tensor '{name}' is missing.");

    /// <summary>The F32 values of <paramref name="name"/>, checking the shape.</summary>
    public float[] F32(string name, params int[] shape)
    {
        var t = this[name];
        if (t.DType != DType.F32)
            throw new OfaFormatException($"{Source}: tensor '{name}' is {t.DType.Name()}; expected F32.");
        if (!t.ShapeEquals(shape))
            throw new OfaFormatException($"{Source}: tensor '{name}' has shape {t.ShapeText}; expected [{string.Join(", ", shape)}].");
        return t.F32;
    }
}
