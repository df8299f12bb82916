namespace OfaBuild.Core.Checkpoints;

/// <summary>Where a checkpoint's tensor storages live: the zip archive's entries or the legacy file's trailing records.</summary>
internal interface ITorchStorages
{
    /// <summary>The file, for messages.</summary>
    string Source { get; }

    /// <summary>Total bytes the storages can hold; bounds how much the tensors may expand to.</summary>
    long StorageBytes { get; }

    /// <summary>The bytes of <paramref name="storage"/>, which must be exactly <paramref name="expectedBytes"/> long.</summary>
    byte[] ReadStorage(StorageRef storage, long expectedBytes);
}
