using OfaBuild.Core.Import;
using OfaBuild.Core.Tensors;
using OfaBuild.Core.Tests.Checkpoints;

namespace OfaBuild.Core.Tests.Import;

public class ReferenceImporterTests
{
    // Checkpoints/Data/torch113_wrapped.pt: written by PyTorch 1.13, with a float16 tensor h = [1, -2]
    // (see SmallCheckpointTests.Reads_a_wrapped_checkpoint_written_by_pytorch).
    [Fact]
    public void ReadWeights_widens_float16_tensors_to_F32_and_keeps_integer_ones()
    {
        var set = ReferenceImporter.ReadWeights(CheckpointData.File("torch113_wrapped.pt"));
        Assert.Equal(DType.F32, set["h"].DType);
        Assert.Equal([1f, -2f], set["h"].F32);
        Assert.Equal([1.5f, -2], set["p"].F32);
        Assert.Equal(DType.I32, set["i"].DType);
    }
}
