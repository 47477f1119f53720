namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Approximations built from bit manipulation and basic arithmetic only, so results are identical everywhere
/// (the platform's <c>Math.Log</c> may differ in the last bit between C runtimes).</summary>
internal static class FastMath
{
    /// <summary>Natural logarithm of a positive, normal float, accurate to about 0.004.</summary>
    public static float Log(float x) => Log2(x) * 0.6931472f;

    /// <summary>Base-2 logarithm of a positive, normal float, accurate to about 0.005.</summary>
    public static float Log2(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        float exponent = ((bits >> 23) & 255) - 128;
        float m = BitConverter.Int32BitsToSingle((bits & 0x007FFFFF) | 0x3F800000);

        // On m in [1, 2) the quadratic is log2(m) + 1 to within 0.005 and continuous across powers of two.
        return exponent + ((((-1f / 3f) * m) + 2f) * m) - (2f / 3f);
    }
}
