namespace OfaBuild.Core.Tests.Search;

/// <summary>
/// <see cref="Xoshiro256"/> against Blackman and Vigna's reference C code: the outputs below are printed by
/// tests/fixtures/xoshiro256/reference_vectors.c (see its README), a verbatim transcription of
/// xoshiro256starstar.c and splitmix64.c. A change here changes every seeded search and predictor.
/// </summary>
public class Xoshiro256ReferenceTests
{
    private static ulong[] Draw(Xoshiro256 rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextUInt64()).ToArray();

    [Fact]
    public void Raw_state_1_2_3_4_gives_the_published_outputs()
    {
        // The same ten values are the reference vector of rand_xoshiro's Xoshiro256StarStar test (rust-random/rngs).
        ulong[] expected =
        [
            11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
            607988272756665600, 16172922978634559625, 8476171486693032832,
            10595114339597558777, 2904607092377533576,
        ];
        Assert.Equal(expected, Draw(Xoshiro256.FromState(1, 2, 3, 4), expected.Length));
    }

    [Theory]
    [InlineData(0UL, new[] { 0x99EC5F36CB75F2B4UL, 0xBF6E1F784956452AUL, 0x1A5F849D4933E6E0UL, 0x6AA594F1262D2D2CUL,
                             0xBBA5AD4A1F842E59UL, 0xFFEF8375D9EBCACAUL, 0x6C160DEED2F54C98UL, 0x8920AD648FC30A3FUL })]
    [InlineData(42UL, new[] { 0x15780B2E0C2EC716UL, 0x6104D9866D113A7EUL, 0xAE17533239E499A1UL, 0xECB8AD4703B360A1UL,
                              0xFDE6DC7FE2EC5E64UL, 0xC50DA53101795238UL, 0xB82154855A65DDB2UL, 0xD99A2743EBE60087UL })]
    [InlineData(ulong.MaxValue, new[] { 0x8F5520D52A7EAD08UL, 0xC476A018CAA1802DUL, 0x81DE31C0D260469EUL, 0xBF658D7E065F3C2FUL,
                                        0x913593FDA1BCA32AUL, 0xBB535E93941BA525UL, 0x5ECDA415C3C6DFDEUL, 0xC487398FC9DE9AE2UL })]
    public void Seeding_through_SplitMix64_matches_the_reference(ulong seed, ulong[] expected) =>
        Assert.Equal(expected, Draw(new Xoshiro256(seed), expected.Length));

    [Fact]
    public void NextDouble_takes_the_top_53_bits()
    {
        // First output of seed 42 is 0x15780B2E0C2EC716: its top 53 bits over 2^53.
        Assert.Equal((0x15780B2E0C2EC716UL >> 11) / 9007199254740992.0, new Xoshiro256(42).NextDouble());
    }
}
