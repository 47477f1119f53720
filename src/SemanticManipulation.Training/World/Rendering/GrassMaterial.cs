namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A meadow in perspective: broad patches of two tones, clumps and blade streaks, hazy toward the horizon.</summary>
/// <remarks>Broad patches are laid out on the ground plane, so they flatten toward the horizon like real fields. Clumps
/// and blades are image-space noise whose feature size is proportional to the height below the horizon, so they shrink
/// with distance while keeping their shape (see <see cref="OctaveBlend"/>).</remarks>
internal struct GrassMaterial(GroundFrame ground, Rgb lush, Rgb dry, Rgb haze, float hazeAmount, Rgb light, Vec2 noiseOffset) : IMaterial
{
    private float _nearness;
    private float _patchY;
    private float _detail;
    private float _haze;
    private OctaveBlend _clumps;
    private OctaveBlend _blades;

    public void BeginRow(float y)
    {
        _nearness = 1f / ground.Drop(y);
        _patchY = (0.3f * _nearness) + noiseOffset.Y;
        _detail = ground.Detail(y);
        _haze = hazeAmount * ground.Haze(y);
        _clumps = new OctaveBlend(_nearness * 4f);
        _blades = new OctaveBlend(_nearness * 14f);
    }

    public readonly Rgb Shade(float x, float y, Rgb under)
    {
        float patch = ValueNoise.Sample(((x - 0.5f) * _nearness * 0.45f) + noiseOffset.X, _patchY);
        float clump = _clumps.Sample(x + noiseOffset.Y, y + noiseOffset.X, 1f);
        float blade = _blades.Sample(x + noiseOffset.X, y, 2.2f);
        Rgb c = Rgb.Lerp(lush, dry, Math.Clamp(0.5f + (1.3f * patch), 0f, 1f));
        c = c * light * (1f + (_detail * ((0.2f * clump) + (0.09f * blade))));
        return Rgb.Lerp(c, haze, _haze);
    }
}
