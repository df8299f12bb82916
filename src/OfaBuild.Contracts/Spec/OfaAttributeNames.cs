using System.Linq;

namespace OfaBuild.Contracts;

/// <summary>
/// The names a user writes: the attributes the generator adds to a project (its Templates/Attributes.sbn declares
/// them) and [OfaTarget]'s named arguments, which are also the metadata of an &lt;OfaTarget&gt; item. The build task
/// reads them from syntax and from items, the generator by symbol; a generator test holds the template to this list.
/// OfaBuild.Runtime compiles this file in as internal, for <see cref="TargetWording"/>.
/// </summary>
static partial class OfaAttributeNames
{
    /// <summary>[OfaModel("x.ofa")] on the wrapper class.</summary>
    public const string Model = "OfaModel";
    /// <summary>[OfaTarget("device", LatencyMs = ...)], one per target.</summary>
    public const string Target = "OfaTarget";

    public const string LatencyMs = "LatencyMs", Profile = "Profile", MaxMFlops = "MaxMFlops";
    public const string Precision = "Precision", Adaptive = "Adaptive", Levels = "Levels";

    /// <summary>[OfaTarget]'s named arguments, in the order the attribute declares them.</summary>
    public static readonly string[] TargetArguments = { LatencyMs, Profile, MaxMFlops, Precision, Adaptive, Levels };

    /// <summary>An &lt;OfaTarget&gt; item's metadata naming the [OfaModel] class it belongs to (an attribute sits on its class).</summary>
    public const string ItemClass = "Class";

    /// <summary>Every metadata an &lt;OfaTarget&gt; item is read by: its class, then [OfaTarget]'s named arguments.</summary>
    public static readonly string[] ItemMetadata = new[] { ItemClass }.Concat(TargetArguments).ToArray();

    /// <summary>"OfaModel" -> "OfaBuild.OfaModelAttribute": the attribute's metadata name, by which the generator finds it.</summary>
    public static string MetadataName(string attribute) => "OfaBuild." + attribute + "Attribute";
}
