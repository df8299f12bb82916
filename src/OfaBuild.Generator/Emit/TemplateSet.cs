using System;
using System.IO;
using System.Linq;
using Scriban;

namespace OfaBuild.Generator.Emit;

/// <summary>The embedded Scriban templates, parsed once per process (they are constants of this assembly).</summary>
internal static class TemplateSet
{
    private static readonly Lazy<Template> AttributesTemplate = new(() => Load("Attributes.sbn"));
    private static readonly Lazy<Template> WrapperTemplate = new(() => Load("Wrapper.sbn"));
    private static readonly Lazy<Template> ServiceCollectionTemplate = new(() => Load("ServiceCollection.sbn"));

    public static Template Attributes => AttributesTemplate.Value;
    public static Template Wrapper => WrapperTemplate.Value;
    public static Template ServiceCollection => ServiceCollectionTemplate.Value;

    /// <summary>Renders with the view's C# property names as template names (no snake_case renaming).</summary>
    public static string Render(Template template, object view) =>
        template.Render(view, member => member.Name).Replace("\r\n", "\n");

    private static Template Load(string name)
    {
        var resource = "OfaBuild.Generator.Templates." + name;
        using var stream = typeof(TemplateSet).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"OfaBuild.Generator is damaged: template resource '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), name);
        if (template.HasErrors)
            throw new InvalidOperationException($"OfaBuild.Generator template {name}: " + string.Join("; ", template.Messages.Select(m => m.ToString())));
        return template;
    }
}
