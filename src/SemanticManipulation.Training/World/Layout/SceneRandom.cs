using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the world's only source of randomness, so that a seed describes the same
/// scene on every machine and .NET version (System.Random's algorithm is not guaranteed to stay the same).
/// </summary>
internal sealed class SceneRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SceneRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / 16777216f);

    /// <summary>A float in [min, max).</summary>
    public float Range(float min, float max) => min + ((max - min) * NextFloat());

    /// <summary>An integer in [min, max] inclusive.</summary>
    public int Between(int min, int max) => min + (int)(((NextUInt64() >> 32) * (ulong)(max - min + 1)) >> 32);

    public bool Chance(float probability) => NextFloat() < probability;

    /// <summary>-1 or +1 with equal probability.</summary>
    public float Sign() => Chance(0.5f) ? -1f : 1f;

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<float> weights)
    {
        float total = 0f;
        foreach (float w in weights)
        {
            total += w;
        }

        float r = NextFloat() * total;
        for (int i = 0; i < weights.Length - 1; i++)
        {
            r -= weights[i];
            if (r < 0f)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>A 32-bit value for seeding per-surface hashes.</summary>
    public uint NextSalt() => (uint)(NextUInt64() >> 32);

    /// <summary>An offset into the noise field, so that different surfaces read unrelated noise.</summary>
    public Vec2 NoiseOffset() => new(Range(0f, ValueNoise.Period), Range(0f, ValueNoise.Period));

    /// <summary>The colour with each channel scaled by up to ±<paramref name="amount"/> and overall brightness by up
    /// to ±<paramref name="brightness"/>.</summary>
    public Rgb Vary(Rgb c, float amount, float brightness)
    {
        float k = 1f + Range(-brightness, brightness);
        return new Rgb(
            c.R * k * (1f + Range(-amount, amount)),
            c.G * k * (1f + Range(-amount, amount)),
            c.B * k * (1f + Range(-amount, amount)));
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong v, int k) => (v << k) | (v >> (64 - k));
}
