using System.Numerics;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Values that break bounds checks: zero, one off either way, sign and width limits, and random ones.</summary>
internal static class Interesting
{
    public static BigInteger Integer(Random rng, long original)
    {
        BigInteger[] candidates =
        [
            0, 1, -1, 2, original + 1, original - 1, original * 2, -original, (BigInteger)original * 1000,
            byte.MaxValue, ushort.MaxValue, int.MaxValue, int.MinValue, uint.MaxValue, (BigInteger)int.MaxValue + 1,
            1L << 31, 1L << 40, 1L << 62, long.MaxValue, long.MinValue, (BigInteger)ulong.MaxValue, BigInteger.Pow(2, 64),
            rng.Next(-1000, 1000), rng.NextInt64(),
        ];
        return candidates[rng.Next(candidates.Length)];
    }

    /// <summary>An unsigned field of <paramref name="bytes"/> bytes (2, 4 or 8).</summary>
    public static ulong Unsigned(Random rng, ulong original, int bytes, long fileLength)
    {
        var max = bytes == 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;
        ulong[] candidates =
        [
            0, 1, 2, original + 1, original - 1, original * 2, original / 2, max, max - 1, max / 2, max / 2 + 1,
            (ulong)fileLength, (ulong)fileLength - 1, (ulong)fileLength + 1, (ulong)rng.NextInt64(),
        ];
        return candidates[rng.Next(candidates.Length)] & max;
    }
}
