namespace OfaBuild.Contracts;

/// <summary>
/// The logical name under which the build task embeds a specialised ONNX model in the app's assembly and under which
/// the generated wrapper loads it: <c>OfaBuild/&lt;Namespace.Class&gt;/&lt;ONNX file name&gt;</c> (rung 0 is
/// <c>&lt;target&gt;.onnx</c>, rung i <c>&lt;target&gt;.rung&lt;i&gt;.onnx</c>).
/// </summary>
public static class EmbeddedModelNames
{
    /// <summary>What every OfaBuild resource name starts with.</summary>
    public const string Prefix = "OfaBuild/";

    /// <summary>The resource name of <paramref name="onnxFileName"/> (a file name, no folder) of class <paramref name="className"/>.</summary>
    public static string Of(string className, string onnxFileName) => Prefix + className + "/" + onnxFileName;
}
