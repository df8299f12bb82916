namespace OfaBuild.Contracts;

/// <summary>
/// A target's name (its device name) also names its files (name.onnx, name.json), its embedded resource and the
/// OFABUILD_TARGET value that picks it, so it is a plain file stem; the catalog's device names follow the same rule.
/// </summary>
public static class TargetNames
{
    public const string Rule = "letters, digits, '-', '.', '_'";

    public static bool IsValid(string name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        foreach (char c in name)
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) return false;
        return true;
    }
}
