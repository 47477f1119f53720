namespace SemanticManipulation.Training.World.Rendering;

/// <summary>
/// Noise whose feature size is 1 / frequency in image units, for textures that must shrink with distance (ground in
/// perspective) without the shear that scaling the coordinates by depth would cause.
/// </summary>
/// <remarks>Like mipmapping: the two octaves bracketing the frequency are sampled and blended, and the blend is rescaled
/// so that its contrast does not dip between octaves. The setup depends only on the frequency, so materials whose
/// frequency depends only on y build it once per row.</remarks>
internal readonly struct OctaveBlend
{
    private readonly float _f0;
    private readonly float _t;
    private readonly float _norm;
    private readonly float _offset0;
    private readonly float _offset1;

    public OctaveBlend(float frequency)
    {
        float level = FastMath.Log2(frequency);
        float floor = MathF.Floor(level);
        int octave = (int)floor;
        _t = level - floor;
        _f0 = BitConverter.Int32BitsToSingle(Math.Clamp(octave + 127, 1, 254) << 23);
        float u = 1f - _t;
        _norm = 1f / MathF.Sqrt((u * u) + (_t * _t));

        // Each octave reads its own part of the noise field, so adjacent octaves are uncorrelated.
        _offset0 = (octave & 15) * 3.7f;
        _offset1 = ((octave + 1) & 15) * 3.7f;
    }

    /// <param name="x">Image x.</param>
    /// <param name="y">Image y.</param>
    /// <param name="stretchX">Extra horizontal frequency factor (greater than 1 gives upright streaks).</param>
    public float Sample(float x, float y, float stretchX)
    {
        float fx = x * _f0 * stretchX, fy = y * _f0;
        float a = ValueNoise.Sample(fx + _offset0, fy + _offset0);
        float b = ValueNoise.Sample((fx * 2f) + _offset1, (fy * 2f) + _offset1);
        return (a + ((b - a) * _t)) * _norm;
    }
}
