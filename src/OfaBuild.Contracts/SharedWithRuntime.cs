namespace OfaBuild.Contracts;

// The contracts OfaBuild.Runtime also compiles in, as linked source (its csproj lists the same files): their own
// declarations name no access, so they are internal there, where an app references no build part, and public here.
// One list, instead of an #if in each file.
public static partial class DiagnosticIds;
public static partial class OfaAttributeNames;
public static partial class TargetWording;
public static partial class LatencyText;
