namespace OfaBuild.Contracts;

/// <summary>
/// How a message names a target: as the user wrote it, an [OfaTarget] attribute on a class or an &lt;OfaTarget&gt; item
/// in a project file. The one place that decides; the build task, `ofa specialize --plan` and `ofa report` word their
/// messages with it, so an error about an item never reads like an attribute the user did not write. The app-facing
/// library (OfaBuild.Runtime) compiles this file in as internal, for its error when no target was embedded.
/// </summary>
static partial class TargetWording
{
    /// <summary>
    /// The target as its messages begin: <c>[OfaTarget("x")] on App.Net</c>, or <c>&lt;OfaTarget Include="x" Class="App.Net"&gt;</c>
    /// (its class is in it); <paramref name="argument"/> (a Profile, a string) is shown as written.
    /// </summary>
    public static string Subject(bool item, string device, string className, (string Name, string Value)? argument = null) =>
        item ? Written(true, device, className, argument) : Written(false, device, className, argument) + " on " + className;

    /// <summary>The target as written, without the class an attribute is on: <c>[OfaTarget("x")]</c>, <c>&lt;OfaTarget Include="x" Class="App.Net"&gt;</c>.</summary>
    public static string Written(bool item, string device, string className, (string Name, string Value)? argument = null)
    {
        if (item)
            return $"<{OfaAttributeNames.Target} Include=\"{device}\" Class=\"{className}\"{(argument is var (n, v) ? $" {Argument(true, n, v, isString: true)}" : "")}>";
        if (device.Length == 0 && argument is null) return $"[{OfaAttributeNames.Target}]";
        return $"[{OfaAttributeNames.Target}(\"{device}\"{(argument is var (name, value) ? ", " + Argument(false, name, value, isString: true) : "")})]";
    }

    /// <summary>A named argument as the user writes it: <c>LatencyMs = 4</c> (<c>Profile = "p.json"</c>) on the attribute, <c>LatencyMs="4"</c> on the item.</summary>
    public static string Argument(bool item, string name, string value, bool isString = false) =>
        item ? $"{name}=\"{value}\"" : isString ? $"{name} = \"{value}\"" : $"{name} = {value}";

    /// <summary>
    /// A new target of <paramref name="className"/> as a fix names it, its device left to the user: in the form the
    /// class's targets are written in (<paramref name="item"/>), or both forms when they use both (null).
    /// </summary>
    public static string Another(bool? item, string className) => item switch
    {
        false => $"an [{OfaAttributeNames.Target}] on {className}",
        true => $"an <{OfaAttributeNames.Target} Class=\"{className}\"> item",
        null => $"an [{OfaAttributeNames.Target}] on {className} or an <{OfaAttributeNames.Target} Class=\"{className}\"> item",
    };

    /// <summary>A whole target of <paramref name="className"/> to copy, as a fix's example.</summary>
    public static string Example(bool item, string className, string device = "cortex-a53", string latencyMs = "30") =>
        item ? $"<{OfaAttributeNames.Target} Include=\"{device}\" Class=\"{className}\" LatencyMs=\"{latencyMs}\" />"
            : $"[{OfaAttributeNames.Target}(\"{device}\", LatencyMs = {latencyMs})]";
}
