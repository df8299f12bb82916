using OfaBuild.Generator.Model;

namespace OfaBuild.Generator.Emit;

/// <summary>
/// The <c>services.Add&lt;Class&gt;()</c> registration of a wrapper, emitted only when the app references
/// Microsoft.Extensions.DependencyInjection.Abstractions: hosted apps get it, and the runtime depends on ONNX Runtime only.
/// </summary>
internal static class ServiceRegistrationEmitter
{
    public const string ServiceCollectionType = "Microsoft.Extensions.DependencyInjection.IServiceCollection";

    public static string HintName(WrapperModel model) => "OfaBuild." + model.Spec.FullName + ".Services.g.cs";

    public static string Emit(WrapperModel model) =>
        TemplateSet.Render(TemplateSet.ServiceCollection, new View { ClassName = model.Spec.ClassName, FullName = CSharpLiteral.QualifiedName(model.Spec.FullName) });

    internal sealed class View
    {
        public string ClassName { get; set; } = "";
        public string FullName { get; set; } = "";
    }
}
