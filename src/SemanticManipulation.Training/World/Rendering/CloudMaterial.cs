namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A cloud: bright sunlit top, greyer base, billowing texture and translucent thin parts.</summary>
/// <param name="lit">Colour of the sunlit top.</param>
/// <param name="shadow">Colour of the base.</param>
/// <param name="topY">Top of the cloud.</param>
/// <param name="baseY">Base of the cloud.</param>
/// <param name="centerX">Horizontal centre, for brightening the side facing the sun.</param>
/// <param name="sunX">Horizontal sun direction (-1 left .. 1 right).</param>
/// <param name="opacity">Opacity of the body; the texture modulates it.</param>
/// <param name="textureScale">Billows per unit.</param>
/// <param name="noiseOffset">Where in the noise field this cloud reads.</param>
internal readonly struct CloudMaterial(Rgb lit, Rgb shadow, float topY, float baseY, float centerX, float sunX, float opacity, float textureScale, Vec2 noiseOffset) : IMaterial
{
    private readonly float _inverseThickness = 1f / MathF.Max(baseY - topY, 1e-3f);

    public void BeginRow(float y)
    {
    }

    public Rgb Shade(float x, float y, Rgb under)
    {
        float v = Math.Clamp((y - topY) * _inverseThickness, 0f, 1f);
        float billow = ValueNoise.Fractal((x * textureScale) + noiseOffset.X, (y * textureScale * 1.4f) + noiseOffset.Y);
        float shade = Math.Clamp((v * v) + (0.35f * billow) - (sunX * (x - centerX) * 3f), 0f, 1f);
        Rgb c = Rgb.Lerp(lit, shadow, shade);
        float alpha = Math.Clamp(opacity + (0.45f * billow), 0f, 1f);
        return Rgb.Lerp(under, c, alpha);
    }
}
