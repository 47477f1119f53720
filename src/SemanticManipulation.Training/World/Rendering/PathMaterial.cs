namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A gravel or dirt path in perspective: speckled stones or ruts, hazy toward the horizon.</summary>
internal struct PathMaterial(GroundFrame ground, Rgb light, Rgb dark, float speckle, Rgb haze, float hazeAmount, Rgb brightness, Vec2 noiseOffset) : IMaterial
{
    private float _nearness;
    private float _broadY;
    private float _speckle;
    private float _haze;
    private OctaveBlend _grit;

    public void BeginRow(float y)
    {
        float drop = ground.Drop(y);
        _nearness = 1f / drop;
        _broadY = (_nearness * 0.8f) + noiseOffset.Y;
        _speckle = speckle * ground.Detail(y);
        _haze = hazeAmount * ground.Haze(y);

        // Grit shrinks with distance but stays roundish (see GrassMaterial).
        _grit = new OctaveBlend(40f * _nearness);
    }

    public readonly Rgb Shade(float x, float y, Rgb under)
    {
        float broad = ValueNoise.Sample(((x - 0.5f) * _nearness * 1.2f) + noiseOffset.X, _broadY);
        float grit = _grit.Sample(x + noiseOffset.Y, y + noiseOffset.X, 1f);
        Rgb c = Rgb.Lerp(dark, light, Math.Clamp(0.55f + (0.6f * broad) + (_speckle * grit), 0f, 1f)) * brightness;
        return Rgb.Lerp(c, haze, _haze);
    }
}
