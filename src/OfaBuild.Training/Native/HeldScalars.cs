using TorchSharp;
using static TorchSharp.torch;

namespace OfaBuild.Training.Native;

/// <summary>
/// Tensor arithmetic whose numbers outlive the native call. TorchSharp 0.107 turns a number (also the implicit
/// alpha = 1 of <c>a + b</c> and <c>a.add_(b)</c>) into a native Scalar that only its finalizer frees, then passes the
/// Scalar's handle to libtorch without keeping the Scalar alive: a garbage collection on another thread during the
/// call can free it while libtorch reads it (CI saw "Expected false to be true ... toFloat" inside add_Tensor once).
/// Every Scalar these helpers pass is held until the call returns. Results are the same ops, bit for bit.
/// Temporary Tensors have the same finalizer and the same gap (a throwaway program passing <c>x.view(...)</c> to
/// <c>add</c> under forced collections crashed with SIGSEGV; inside a DisposeScope, 7.6 M calls ran clean): so all
/// tensor work runs inside a DisposeScope, which holds every tensor made in it until it ends.
/// </summary>
internal static class HeldScalars
{
    /// <summary>alpha = 1; a static root, so never finalized.</summary>
    private static readonly Scalar One = 1.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a + alpha b.</summary>
    public static Tensor Plus(Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary>a += alpha b, in place; returns a.</summary>
    public static Tensor PlusInPlace(Tensor a, Tensor b, double alpha = 1)
    {
        if (alpha == 1) return a.add_(b, One);
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    /// <summary>a += value, in place; returns a.</summary>
    public static Tensor PlusInPlace(Tensor a, double value)
    {
        using var v = value.ToScalar();
        return a.add_(v, One);
    }

    /// <summary>a * factor.</summary>
    public static Tensor Times(Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul(s);
    }

    /// <summary>a *= factor, in place; returns a.</summary>
    public static Tensor TimesInPlace(Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul_(s);
    }

    /// <summary>a / divisor (TorchSharp's <c>a / n</c> makes an unheld Scalar of n).</summary>
    public static Tensor Over(Tensor a, long divisor)
    {
        using var s = divisor.ToScalar();
        return a.div(s);
    }

    /// <summary>a², element-wise: TorchSharp's <c>a.square()</c> is <c>pow(2)</c> with an unheld Scalar 2.</summary>
    public static Tensor Squared(Tensor a)
    {
        using var two = 2.ToScalar();
        return a.pow(two);
    }

    /// <summary>Every element of a set to value, in place; returns a.</summary>
    public static Tensor FillInPlace(Tensor a, double value)
    {
        using var v = value.ToScalar();
        return a.fill_(v);
    }
}
