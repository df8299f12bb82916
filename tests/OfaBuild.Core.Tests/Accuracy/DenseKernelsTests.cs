using OfaBuild.Core.Accuracy;

namespace OfaBuild.Core.Tests.Accuracy;

public sealed class DenseKernelsTests
{
    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    [Fact]
    public void Skipping_zero_inputs_gives_the_dense_product_to_the_bit_for_every_tile_shape()
    {
        var rng = new Random(3);
        // n = 40: the 512- or 256-bit column blocks and the scalar columns after them.
        const int k = 37, n = 40;
        for (int m = 1; m <= 13; m++)
        {
            // Mostly zeros (ReLU outputs), some negative zeros; weights and biases small enough that sums cancel to zero.
            var a = Enumerable.Range(0, m * k).Select(_ => rng.Next(10) switch { < 5 => 0f, 5 => -0f, _ => (float)rng.NextDouble() }).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => rng.Next(8) == 0 ? 0f : (float)(rng.NextDouble() - 0.5)).ToArray();
            var bias = Enumerable.Range(0, n).Select(j => j % 5 == 0 ? -0f : j % 5 == 1 ? 0f : (float)(rng.NextDouble() - 0.5)).ToArray();
            var dense = new float[m * n];
            var skipping = new float[m * n];
            DenseKernels.MatMul(a, b, dense, m, k, n, bias, relu: true);
            DenseKernels.MatMulReluSkippingZeros(a, b, skipping, m, k, n, bias);
            Assert.Equal(Bits(dense), Bits(skipping));
        }
    }
}
