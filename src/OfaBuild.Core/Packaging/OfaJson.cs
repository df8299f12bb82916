using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OfaBuild.Core.Packaging;

/// <summary>
/// The JSON conventions of <c>.ofa</c> manifests: snake_case names, activations by their reference
/// names, nulls omitted, "\n" line ends, strict on duplicates, nulls and missing required fields.
/// The metadata is source-generated (<see cref="OfaJsonContext"/>): reading a manifest is the first thing most `ofa`
/// commands do, and reflection-built metadata cost a short process more than the rest of the read.
/// </summary>
public static class OfaJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>The manifest's metadata under <see cref="Options"/>: what reads and writes it, with no reflection (the tool is Native AOT).</summary>
    internal static JsonTypeInfo<OfaManifest> Manifest { get; } = (JsonTypeInfo<OfaManifest>)Options.GetTypeInfo(typeof(OfaManifest));

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            IndentSize = 2,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowDuplicateProperties = false,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = OfaJsonContext.Default.WithAddedModifier(DropDerivedProperties),
        };
        o.Converters.Add(new ActivationConverter());
        o.MakeReadOnly();
        return o;
    }

    /// <summary>
    /// Serialise data, not views of it: get-only properties computed from other fields
    /// (SearchSpace.Slots, MaxDepth, ...) are left out of the file.
    /// </summary>
    private static void DropDerivedProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (p.Set is null && p.AssociatedParameter is null)
                info.Properties.RemoveAt(i);
        }
    }

    private sealed class ActivationConverter : JsonConverter<Activation>
    {
        public override Activation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return name switch
            {
                "relu" => Activation.Relu,
                "h_swish" => Activation.HSwish,
                _ => throw new JsonException($"unknown activation {(name is null ? reader.TokenType.ToString() : $"'{name}'")}; expected \"relu\" or \"h_swish\""),
            };
        }

        public override void Write(Utf8JsonWriter writer, Activation value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToReference());
    }
}

/// <summary>
/// Compile-time JSON metadata for the manifest's types. The naming and strictness live in <see cref="OfaJson.Options"/>,
/// which uses this context as its resolver; the context's own options are never used to read or write a file.
/// </summary>
[JsonSerializable(typeof(OfaManifest))]
internal sealed partial class OfaJsonContext : JsonSerializerContext;
