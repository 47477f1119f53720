namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Integer hashing for per-brick, per-block and per-sample variation that must not depend on drawing order.</summary>
internal static class Hash
{
    /// <summary>A well-mixed 32-bit permutation (the "lowbias32" finaliser).</summary>
    public static uint Mix(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB352Du;
        x ^= x >> 15;
        x *= 0x846CA68Bu;
        x ^= x >> 16;
        return x;
    }

    public static uint Of(int a, int b, uint salt) => Mix(unchecked(((uint)a * 0x9E3779B1u) ^ Mix(((uint)b * 0x85EBCA77u) + salt)));

    /// <summary>A value in [0, 1).</summary>
    public static float Unit(int a, int b, uint salt) => (Of(a, b, salt) >> 8) * (1f / 16777216f);

    /// <summary>A value in [-1, 1).</summary>
    public static float Signed(int a, int b, uint salt) => (Unit(a, b, salt) * 2f) - 1f;

    /// <summary>An approximately normal value (mean 0, deviation about 1) from three uniforms.</summary>
    public static float Gaussian(int a, int b, uint salt)
    {
        uint h = Of(a, b, salt);
        float u1 = (h & 0x3FF) * (1f / 1024f);
        float u2 = ((h >> 10) & 0x3FF) * (1f / 1024f);
        float u3 = ((h >> 20) & 0x3FF) * (1f / 1024f);
        return (u1 + u2 + u3 - 1.5f) * 2f;
    }
}
