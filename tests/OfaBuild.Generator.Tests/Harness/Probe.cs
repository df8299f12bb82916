using System.Reflection;

namespace OfaBuild.Generator.Tests.Harness;

/// <summary>A generated app compiled and loaded into the test process: the static methods of its Demo.Probe class, called by name.</summary>
public sealed class Probe
{
    private readonly Type _type;

    private Probe(Type type) => _type = type;

    /// <summary>
    /// Emits <paramref name="output"/> with each ONNX file embedded under the name the build task gives it
    /// (OfaBuild/&lt;class&gt;/&lt;file&gt;) and loads it.
    /// </summary>
    public static Probe Load(Compilation output, params (string Resource, byte[] Onnx)[] resources)
    {
        using var pe = new MemoryStream();
        var emit = output.Emit(pe, manifestResources:
            resources.Select(r => new ResourceDescription(r.Resource, () => new MemoryStream(r.Onnx), isPublic: true)));
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        return new Probe(Assembly.Load(pe.ToArray()).GetType("Demo.Probe")!);
    }

    public T Call<T>(string method, params object?[] args) => (T)_type.GetMethod(method)!.Invoke(null, args)!;
}
