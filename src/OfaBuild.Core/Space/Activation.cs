namespace OfaBuild.Core.Space;

/// <summary>Activation functions of OFA-MobileNetV3 (the reference's names in JSON).</summary>
public enum Activation
{
    /// <summary>ReLU ("relu").</summary>
    Relu,
    /// <summary>h-swish: x * relu6(x + 3) / 6 ("h_swish").</summary>
    HSwish,
}

public static class ActivationNames
{
    public static string ToReference(this Activation a) => a switch
    {
        Activation.Relu => "relu",
        Activation.HSwish => "h_swish",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };

    public static Activation Parse(string name) => name switch
    {
        "relu" => Activation.Relu,
        "h_swish" => Activation.HSwish,
        _ => throw new OfaException($"Unknown activation '{name}': expected 'relu' or 'h_swish'."),
    };
}
