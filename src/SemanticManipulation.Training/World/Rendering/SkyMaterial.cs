namespace SemanticManipulation.Training.World.Rendering;

/// <summary>A three-stop vertical sky gradient (zenith, middle, horizon) with an optional glow around the sun.</summary>
internal readonly struct SkyMaterial(Rgb zenith, Rgb middle, Rgb horizon, float horizonY, Rgb glow, Vec2 glowCenter, float glowRadius) : IMaterial
{
    private readonly float _inverseHorizon = 1f / horizonY;
    private readonly float _inverseGlowRadiusSq = 1f / (glowRadius * glowRadius);

    public Rgb ColorAt(float x, float y)
    {
        float t = Math.Clamp(y * _inverseHorizon, 0f, 1f);

        // Most of the change happens near the horizon, as in real skies.
        Rgb c = t < 0.55f ? Rgb.Lerp(zenith, middle, t * (1f / 0.55f)) : Rgb.Lerp(middle, horizon, (t - 0.55f) * (1f / 0.45f));
        float dx = x - glowCenter.X;
        float dy = (y - glowCenter.Y) * 1.6f;
        float g = 1f / (1f + (((dx * dx) + (dy * dy)) * _inverseGlowRadiusSq));
        return c + (glow * (g * g));
    }

    public Rgb Shade(float x, float y, Rgb under) =>
        ColorAt(x, y) * (1f + (0.015f * ValueNoise.Sample(x * 9f, y * 14f)));
}
