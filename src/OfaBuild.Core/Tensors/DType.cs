namespace OfaBuild.Core.Tensors;

/// <summary>Element types, named as in safetensors.</summary>
public enum DType { F32, F64, F16, BF16, I64, I32, I16, I8, U8, Bool }

public static class DTypes
{
    public static int Size(this DType t) => t switch
    {
        DType.F64 or DType.I64 => 8,
        DType.F32 or DType.I32 => 4,
        DType.F16 or DType.BF16 or DType.I16 => 2,
        DType.I8 or DType.U8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    public static bool IsFloatingPoint(this DType t) => t is DType.F32 or DType.F64 or DType.F16 or DType.BF16;

    public static string Name(this DType t) => t switch
    {
        DType.Bool => "BOOL",
        _ => t.ToString(),
    };

    public static bool TryParse(string name, out DType t)
    {
        switch (name)
        {
            case "F32": t = DType.F32; return true;
            case "F64": t = DType.F64; return true;
            case "F16": t = DType.F16; return true;
            case "BF16": t = DType.BF16; return true;
            case "I64": t = DType.I64; return true;
            case "I32": t = DType.I32; return true;
            case "I16": t = DType.I16; return true;
            case "I8": t = DType.I8; return true;
            case "U8": t = DType.U8; return true;
            case "BOOL": t = DType.Bool; return true;
            default: t = default; return false;
        }
    }
}
