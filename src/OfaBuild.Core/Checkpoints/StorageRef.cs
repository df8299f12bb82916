using OfaBuild.Core.Tensors;

namespace OfaBuild.Core.Checkpoints;

/// <summary>A tensor storage named by a persistent id: the archive entry <c>data/&lt;Key&gt;</c> of <see cref="Numel"/> elements.</summary>
internal sealed record StorageRef(string Key, DType DType, long Numel)
{
    public override string ToString() => $"storage '{Key}'";
}
