using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// Gives a state-dict pickle its meaning: the allowed globals (<see cref="TorchGlobals"/>), storages
/// from the archive for persistent ids, and tensors rebuilt from (storage, offset, size, stride).
/// Every field from the file is range-checked before it sizes or addresses anything.
/// </summary>
internal sealed class TorchPickleHost : IPickleHost
{
    private const int MaxDims = 64;

    private readonly ITorchStorages _archive;
    private readonly Dictionary<string, byte[]> _storages = new(StringComparer.Ordinal);
    private readonly long _maxTensorBytes;
    private long _tensorBytes;

    public TorchPickleHost(ITorchStorages archive)
    {
        _archive = archive;
        // Views may share storage, but a state dict cannot be much larger than its storages; this stops a
        // small file from expanding to gigabytes through many overlapping or stride-0 views.
        _maxTensorBytes = 4 * archive.StorageBytes + (64L << 20);
    }

    private string Source => _archive.Source;

    public object ResolveGlobal(string module, string name) =>
        TorchGlobals.TryResolve(module, name, out var value)
            ? value
            : throw new OfaFormatException($"{Source}: refuses to load global '{module}.{name}' from the pickle: a state-dict checkpoint only needs tensors. " +
                (IsModuleClass(module)
                    ? "It holds a whole pickled network (torch.save(net, ...)), not a state dict: save its state dict in Python, torch.save(net.state_dict(), 'state_dict.pth'), and import that."
                    : "The file may be malicious or not a state dict."));

    /// <summary>A network class of PyTorch or of the reference (mit-han-lab/once-for-all's package is `ofa`): what torch.save(net) pickles.</summary>
    private static bool IsModuleClass(string module) =>
        module.StartsWith("torch.nn.", StringComparison.Ordinal) || module == "ofa" || module.StartsWith("ofa.", StringComparison.Ordinal);

    public object? Call(object? callable, object?[] args) => callable switch
    {
        TorchCallable.OrderedDict when args.Length == 0 => new PickleDict(),
        TorchCallable.RebuildTensorV2 when args.Length is 6 or 7 => RebuildTensor(args),
        TorchCallable.RebuildParameter when args.Length == 3 => args[0] as Tensor ?? throw NotTensor(args[0]),
        TorchCallable.RebuildParameterWithState when args.Length == 4 => args[0] as Tensor ?? throw NotTensor(args[0]),
        TorchCallable c => throw new OfaFormatException($"{Source}: the pickle calls {c} with {args.Length} arguments, which torch.save never writes; the file is damaged."),
        _ => throw new OfaFormatException($"{Source}: the pickle calls {PickleValues.Describe(callable)}, which is not callable here; the file is damaged."),
    };

    public object? PersistentLoad(object? pid)
    {
        // The location (e.g. 'cuda:0' in the zoo's files) is ignored: every storage is read to the CPU.
        // The legacy format adds a sixth field, the view metadata, which is None for a storage of its own.
        if (pid is object?[] { Length: 5 or 6 } t && t[0] is "storage" && t[1] is StorageType type && t[2] is string key && t[3] is string
            && t[4] is long numel && numel >= 0)
        {
            if (t.Length == 6 && t[5] is not null)
                throw new OfaFormatException($"{Source}: storage '{key}' is a view of another storage ({PickleValues.Describe(t[5])}), which a state dict saved by torch.save does not use; re-save the checkpoint with PyTorch >= 1.6.");
            return new StorageRef(key, type.DType, numel);
        }
        throw new OfaFormatException($"{Source}: persistent id {PickleValues.Describe(pid)} is not ('storage', torch.<X>Storage, key, location, numel[, None]); the file is damaged.");
    }

    public void Build(object? target, object? state)
    {
        // OrderedDict state is the state dict's _metadata (module versions): not needed to read the tensors.
        if (target is PickleDict) return;
        throw new OfaFormatException($"{Source}: the pickle sets state on {PickleValues.Describe(target)}, which a state dict never does; the file is damaged.");
    }

    /// <summary>torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]).</summary>
    private Tensor RebuildTensor(object?[] args)
    {
        if (args[0] is not StorageRef storage)
            throw new OfaFormatException($"{Source}: a tensor's storage is {PickleValues.Describe(args[0])}, not a persistent storage; the file is damaged.");
        if (args[1] is not long offset || offset < 0)
            throw Bad(storage, $"storage offset {PickleValues.Describe(args[1])}");
        var size = Longs(args[2], storage, "size");
        var stride = Longs(args[3], storage, "stride");
        if (stride.Length != size.Length)
            throw Bad(storage, $"stride of {stride.Length} dimensions for a size of {size.Length}");

        var shape = new int[size.Length];
        long numel = 1;
        for (int d = 0; d < size.Length; d++)
        {
            if (size[d] > int.MaxValue) throw Bad(storage, $"dimension {size[d]}");
            shape[d] = (int)size[d];
            numel = size[d] == 0 || numel == 0 ? 0 : numel <= long.MaxValue / size[d] ? numel * size[d] : throw Bad(storage, "size (too many elements)");
        }
        int elementSize = storage.DType.Size();
        if (numel > Array.MaxLength / elementSize)
            throw Bad(storage, $"size of {numel} elements (more than one array can hold)");

        var bytes = Storage(storage);
        if (numel > 0)
        {
            // The last element the view addresses must lie inside the storage.
            decimal last = offset;
            // Terms are >= 0, so stop once past the end (no overflow with 64 huge strides).
            for (int d = 0; d < size.Length && last < storage.Numel; d++) last += (decimal)(size[d] - 1) * stride[d];
            if (last >= storage.Numel)
                throw new OfaFormatException($"{Source}: a tensor of shape [{string.Join(", ", shape)}] with stride ({string.Join(", ", stride)}) at offset {offset} reads element {last} of {storage}, which holds only {storage.Numel}; the file is damaged.");
        }

        long tensorBytes = numel * elementSize;
        _tensorBytes += tensorBytes;
        if (_tensorBytes > _maxTensorBytes)
            throw new OfaFormatException($"{Source}: the tensors expand to more than {_maxTensorBytes} bytes from {_archive.StorageBytes} bytes of storage; the file is damaged or crafted.");
        return Tensor.FromBytes(storage.DType, shape, StridedGather.Gather(bytes, elementSize, offset, shape, stride, numel));
    }

    private byte[] Storage(StorageRef storage)
    {
        long bytes = storage.Numel <= Array.MaxLength / storage.DType.Size()
            ? storage.Numel * storage.DType.Size()
            : throw new OfaFormatException($"{Source}: {storage} declares {storage.Numel} elements, more than one array can hold.");
        if (!_storages.TryGetValue(storage.Key, out var data))
            _storages[storage.Key] = data = _archive.ReadStorage(storage, bytes);
        else if (data.Length != bytes)
            throw new OfaFormatException($"{Source}: {storage} is referred to with {data.Length} and {bytes} bytes; the file is damaged.");
        return data;
    }

    private long[] Longs(object? value, StorageRef storage, string what)
    {
        if (value is not object?[] tuple || tuple.Length > MaxDims)
            throw Bad(storage, $"{what} {PickleValues.Describe(value)}");
        var result = new long[tuple.Length];
        for (int i = 0; i < tuple.Length; i++)
            result[i] = tuple[i] is long n && n >= 0 ? n : throw Bad(storage, $"{what} element {PickleValues.Describe(tuple[i])}");
        return result;
    }

    private OfaFormatException Bad(StorageRef storage, string what) =>
        new($"{Source}: a tensor on {storage} has an invalid {what}; the file is damaged.");

    private OfaFormatException NotTensor(object? value) =>
        new($"{Source}: a parameter wraps {PickleValues.Describe(value)} instead of a tensor; the file is damaged.");
}
