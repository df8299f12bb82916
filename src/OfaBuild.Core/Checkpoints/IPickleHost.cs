namespace OfaBuild.Core.Checkpoints;

/// <summary>
/// What a pickle's globals, calls and persistent ids mean. The unpickler itself never imports or
/// calls anything: each of these decides, and throws <see cref="OfaFormatException"/> to refuse.
/// </summary>
internal interface IPickleHost
{
    /// <summary>The object standing for global <paramref name="module"/>.<paramref name="name"/>; refuses anything not allowed.</summary>
    object ResolveGlobal(string module, string name);

    /// <summary>REDUCE: the result of calling <paramref name="callable"/> (a resolved global) with <paramref name="args"/>.</summary>
    object? Call(object? callable, object?[] args);

    /// <summary>BINPERSID: the object a persistent id refers to.</summary>
    object? PersistentLoad(object? pid);

    /// <summary>BUILD: set <paramref name="state"/> on <paramref name="target"/> (or refuse).</summary>
    void Build(object? target, object? state);
}
