using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Checkpoints;

/// <summary>The callables a state-dict pickle may name; everything else is refused.</summary>
internal enum TorchCallable { OrderedDict, RebuildTensorV2, RebuildParameter, RebuildParameterWithState }

/// <summary>A <c>torch.&lt;X&gt;Storage</c> class, as named in a persistent id; it fixes the element type.</summary>
internal sealed record StorageType(string Name, DType DType)
{
    public override string ToString() => $"torch.{Name}";
}

/// <summary>The allow-list of globals a <c>torch.save</c>d state dict needs, and nothing more.</summary>
internal static class TorchGlobals
{
    private static readonly Dictionary<string, object> Allowed = new(StringComparer.Ordinal)
    {
        ["collections.OrderedDict"] = TorchCallable.OrderedDict,
        ["torch._utils._rebuild_tensor_v2"] = TorchCallable.RebuildTensorV2,
        ["torch._utils._rebuild_parameter"] = TorchCallable.RebuildParameter,
        ["torch._utils._rebuild_parameter_with_state"] = TorchCallable.RebuildParameterWithState,
        ["torch.FloatStorage"] = new StorageType("FloatStorage", DType.F32),
        ["torch.DoubleStorage"] = new StorageType("DoubleStorage", DType.F64),
        ["torch.HalfStorage"] = new StorageType("HalfStorage", DType.F16),
        ["torch.BFloat16Storage"] = new StorageType("BFloat16Storage", DType.BF16),
        ["torch.LongStorage"] = new StorageType("LongStorage", DType.I64),
        ["torch.IntStorage"] = new StorageType("IntStorage", DType.I32),
        ["torch.ShortStorage"] = new StorageType("ShortStorage", DType.I16),
        ["torch.CharStorage"] = new StorageType("CharStorage", DType.I8),
        ["torch.ByteStorage"] = new StorageType("ByteStorage", DType.U8),
        ["torch.BoolStorage"] = new StorageType("BoolStorage", DType.Bool),
    };

    public static bool TryResolve(string module, string name, out object value) =>
        Allowed.TryGetValue(module + "." + name, out value!);
}
