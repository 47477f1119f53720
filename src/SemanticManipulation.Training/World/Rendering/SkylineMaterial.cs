namespace SemanticManipulation.Training.World.Rendering;

/// <summary>Distant terrain or a tree line, faded toward the sky's horizon colour by atmospheric haze.</summary>
/// <param name="light">Colour of lit parts.</param>
/// <param name="dark">Colour of shaded parts.</param>
/// <param name="haze">The horizon colour the distance fades toward.</param>
/// <param name="hazeAmount">How much of the haze colour is mixed in (0..1).</param>
/// <param name="textureScale">Features per unit: coarse for hills, fine for foliage.</param>
/// <param name="noiseOffset">Where in the noise field it reads.</param>
internal readonly struct SkylineMaterial(Rgb light, Rgb dark, Rgb haze, float hazeAmount, float textureScale, Vec2 noiseOffset) : IMaterial
{
    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float n = ValueNoise.Fractal((x * textureScale) + noiseOffset.X, (y * textureScale * 1.5f) + noiseOffset.Y);
        Rgb c = Rgb.Lerp(dark, light, Math.Clamp(0.5f + (0.8f * n), 0f, 1f));
        return Rgb.Lerp(c, haze, hazeAmount);
    }
}
